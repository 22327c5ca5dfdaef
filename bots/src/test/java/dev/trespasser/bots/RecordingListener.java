package dev.trespasser.bots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records every callback, in order per bot, as short strings the tests can read. */
class RecordingListener implements BotListener {

    final Map<String, List<String>> byBot = new ConcurrentHashMap<>();
    final Map<String, List<MatchOutcome>> outcomes = new ConcurrentHashMap<>();
    final Map<String, String> playerIds = new ConcurrentHashMap<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private void add(String bot, String event) {
        byBot.computeIfAbsent(bot, b -> new CopyOnWriteArrayList<>()).add(event);
    }

    List<String> events(String bot) {
        return new ArrayList<>(byBot.getOrDefault(bot, List.of()));
    }

    /** The events of one kind ("welcome", "ended", ...) of one bot. */
    List<String> of(String bot, String kind) {
        return events(bot).stream().filter(e -> e.startsWith(kind)).collect(Collectors.toList());
    }

    @Override
    public void onLoggedIn(String player, String playerId, String username) {
        playerIds.put(player, playerId);
        add(player, "login " + playerId);
    }

    @Override
    public void onQueued(String player) {
        add(player, "queued");
    }

    @Override
    public void onAssigned(String player, String matchId, String host, int port) {
        add(player, "assigned " + matchId);
    }

    @Override
    public void onWelcome(String player, String matchId, String team) {
        add(player, "welcome " + matchId + " " + team);
    }

    @Override
    public void onMatchEnded(String player, String matchId, MatchOutcome outcome) {
        outcomes.computeIfAbsent(player, b -> new CopyOnWriteArrayList<>()).add(outcome);
        add(player, "ended " + matchId + (outcome.restarting() ? " restarting" : ""));
    }

    @Override
    public void onDisconnected(String player, String matchId, int closeCode, String reason) {
        add(player, "disconnected " + closeCode);
    }

    @Override
    public void onReconnected(String player, String matchId, boolean sameSlot) {
        add(player, "reconnected " + (sameSlot ? "same-slot" : "other-slot"));
    }

    @Override
    public void onRequeued(String player, String reason) {
        add(player, "requeued " + reason);
    }

    @Override
    public void onError(String player, Throwable error) {
        errors.add(error);
        add(player, "error " + error);
    }

    @Override
    public void onFinished(String player) {
        add(player, "finished");
    }
}
