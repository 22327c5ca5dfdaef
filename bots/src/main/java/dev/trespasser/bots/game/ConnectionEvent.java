package dev.trespasser.bots.game;

import dev.trespasser.proto.game.v1.ErrorNotice;
import dev.trespasser.proto.game.v1.MatchEnd;
import dev.trespasser.proto.game.v1.Scoreboard;
import dev.trespasser.proto.game.v1.Welcome;

/** What a {@link GameConnection} tells the bot thread, in the order it happened. */
public sealed interface ConnectionEvent {

    GameConnection connection();

    record Welcomed(GameConnection connection, Welcome welcome) implements ConnectionEvent {}

    /** A round ended; {@code lastScoreboard} is null when the bot saw none (an abandoned match). */
    record RoundEnded(GameConnection connection, MatchEnd end, Scoreboard lastScoreboard) implements ConnectionEvent {}

    /**
     * The socket closed. {@code notice} is the server's ErrorNotice before it, if any;
     * {@code byUs} when this client closed it.
     */
    record Closed(GameConnection connection, int code, String reason, ErrorNotice notice, boolean byUs)
            implements ConnectionEvent {}
}
