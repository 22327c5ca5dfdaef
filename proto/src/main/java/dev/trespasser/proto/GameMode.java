package dev.trespasser.proto;

import java.util.Optional;

/** The queueable modes; a match holds two teams of {@link #teamSize()} players. */
public enum GameMode {
  FOUR_V_FOUR("4v4", 4),
  TWO_V_TWO("2v2", 2),
  ONE_V_ONE("1v1", 1);

  /** The mode a ticket gets when it names none. */
  public static final GameMode DEFAULT = FOUR_V_FOUR;

  private final String label;
  private final int teamSize;

  GameMode(String label, int teamSize) {
    this.label = label;
    this.teamSize = teamSize;
  }

  /** The short name players and tickets use, e.g. {@code "4v4"}. */
  public String label() {
    return label;
  }

  public int teamSize() {
    return teamSize;
  }

  public int matchSize() {
    return 2 * teamSize;
  }

  public static Optional<GameMode> fromLabel(String label) {
    for (GameMode mode : values()) {
      if (mode.label.equals(label)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
