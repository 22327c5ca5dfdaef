package dev.trespasser.match.sim;

public enum Team {
    RED,
    BLUE;

    public Team other() {
        return this == RED ? BLUE : RED;
    }
}
