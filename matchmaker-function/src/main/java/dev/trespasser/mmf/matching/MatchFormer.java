package dev.trespasser.mmf.matching;

import dev.trespasser.proto.GameMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Forms full, balanced matches from a pool of queued tickets. Pure: the same tickets and the same
 * {@code now} always give the same result, whatever the input order.
 *
 * <p>Per (mode, region) the tickets are sorted by rating. Anchors are taken longest-waiting
 * first; for each anchor still free, the tightest set of free tickets around it in rating order
 * that holds exactly two teams of players, keeps parties whole and spans no more than the
 * anchor's tolerance becomes a match, and {@link TeamBalancer} splits it. Each anchor looks at a
 * bounded number of neighbours, so a run is O(n log n) for the sort plus O(n) windows.
 */
public final class MatchFormer {

    // Equal ratings sort oldest first, so equally tight windows take the longer waiters.
    private static final Comparator<QueuedTicket> BY_RATING = Comparator.comparingDouble(QueuedTicket::rating)
            .thenComparing(QueuedTicket::enqueuedAt)
            .thenComparing(QueuedTicket::ticketId);
    private static final Comparator<QueuedTicket> LONGEST_WAITING_FIRST =
            Comparator.comparing(QueuedTicket::enqueuedAt).thenComparing(QueuedTicket::ticketId);
    private static final Comparator<GroupKey> GROUP_ORDER =
            Comparator.comparing(GroupKey::mode).thenComparing(GroupKey::region);

    /** Neighbours examined on each side of an anchor, in match sizes; room to skip misfit parties. */
    private static final int WINDOW_MATCH_SIZES = 3;

    private final MatchingRules rules;
    private final MatchIdGenerator matchIds;

    public MatchFormer(MatchingRules rules, MatchIdGenerator matchIds) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.matchIds = Objects.requireNonNull(matchIds, "matchIds");
    }

    public MatchFormer(MatchingRules rules) {
        this(rules, MatchIdGenerator.fromTicketIds());
    }

    public MatchingResult form(Collection<QueuedTicket> tickets, Instant now) {
        Objects.requireNonNull(now, "now");
        List<RejectedTicket> rejected = new ArrayList<>();
        Map<GroupKey, List<QueuedTicket>> groups = new TreeMap<>(GROUP_ORDER);
        Set<String> seen = new HashSet<>();
        for (QueuedTicket ticket : tickets) {
            if (!seen.add(ticket.ticketId())) {
                rejected.add(new RejectedTicket(ticket, RejectedTicket.Reason.DUPLICATE_TICKET));
            } else if (ticket.partySize() > ticket.mode().teamSize()) {
                rejected.add(new RejectedTicket(ticket, RejectedTicket.Reason.PARTY_TOO_LARGE));
            } else {
                groups.computeIfAbsent(new GroupKey(ticket.mode(), ticket.region()), k -> new ArrayList<>())
                        .add(ticket);
            }
        }
        List<FormedMatch> matches = new ArrayList<>();
        List<QueuedTicket> unmatched = new ArrayList<>();
        for (Map.Entry<GroupKey, List<QueuedTicket>> group : groups.entrySet()) {
            new Group(group.getKey(), group.getValue(), now).form(matches, unmatched);
        }
        // Input order must not show through, so rejections are listed by ticket id.
        rejected.sort(Comparator.comparing((RejectedTicket r) -> r.ticket().ticketId())
                .thenComparing(RejectedTicket::reason));
        return new MatchingResult(matches, unmatched, rejected);
    }

    private record GroupKey(GameMode mode, String region) {}

    /** The working state for one mode and region: arrays indexed by position in rating order. */
    private final class Group {
        private final GroupKey key;
        private final QueuedTicket[] byRating;
        private final double[] rating;
        private final int[] size;
        private final double[] tolerance;
        private final int[] prev;
        private final int[] next;
        private final boolean[] used;
        private final int[] anchors;
        private final int teamSize;
        private final int need;
        private final int window;
        private final int fullReach;
        // Scratch buffers reused by every anchor.
        private final int[] seq;
        private final int[] chosen;
        private int chosenCount;

        Group(GroupKey key, List<QueuedTicket> tickets, Instant now) {
            this.key = key;
            int n = tickets.size();
            byRating = tickets.toArray(new QueuedTicket[0]);
            Arrays.sort(byRating, BY_RATING);
            rating = new double[n];
            size = new int[n];
            tolerance = new double[n];
            prev = new int[n];
            next = new int[n];
            used = new boolean[n];
            for (int i = 0; i < n; i++) {
                QueuedTicket ticket = byRating[i];
                rating[i] = ticket.rating();
                size[i] = ticket.partySize();
                tolerance[i] = rules.toleranceAfter(waitSeconds(ticket.enqueuedAt(), now));
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> LONGEST_WAITING_FIRST.compare(byRating[a], byRating[b]));
            anchors = new int[n];
            for (int i = 0; i < n; i++) {
                anchors[i] = order[i];
            }
            teamSize = key.mode().teamSize();
            need = key.mode().matchSize();
            window = WINDOW_MATCH_SIZES * need;
            fullReach = (1 << (teamSize + 1)) - 1;
            seq = new int[2 * window + 1];
            chosen = new int[need];
        }

        void form(List<FormedMatch> matches, List<QueuedTicket> unmatched) {
            for (int anchor : anchors) {
                if (used[anchor]) {
                    continue;
                }
                int count = findMatch(anchor);
                if (count > 0) {
                    matches.add(buildMatch(count));
                }
            }
            for (int i = 0; i < byRating.length; i++) {
                if (!used[i]) {
                    unmatched.add(byRating[i]);
                }
            }
        }

        /**
         * Finds the tightest valid set around {@code anchor}; leaves it in {@link #chosen} and returns
         * its size, or 0 when none exists. Candidate sets start at each neighbour left of the anchor
         * (or at the anchor) and take the next tickets in rating order that keep the parties packable
         * into two teams, so for solo tickets this is the exact minimum-spread set.
         */
        private int findMatch(int anchor) {
            double tol = tolerance[anchor];
            int left = 0;
            for (int q = prev[anchor]; q >= 0 && left < window && rating[anchor] - rating[q] <= tol; q = prev[q]) {
                left++;
            }
            // seq = the left neighbours in ascending rating, the anchor, then the right neighbours.
            int pos = left - 1;
            for (int q = prev[anchor]; pos >= 0; q = prev[q]) {
                seq[pos--] = q;
            }
            seq[left] = anchor;
            int len = left + 1;
            for (int q = next[anchor];
                    q >= 0 && len - left - 1 < window && rating[q] - rating[anchor] <= tol;
                    q = next[q]) {
                seq[len++] = q;
            }
            int bestStart = -1;
            double bestSpread = Double.POSITIVE_INFINITY;
            for (int start = 0; start <= left; start++) {
                double spread = fillWindow(start, left, len, tol);
                if (spread < bestSpread) {
                    bestSpread = spread;
                    bestStart = start;
                    if (spread == 0) {
                        break;
                    }
                }
            }
            if (bestStart < 0) {
                return 0;
            }
            fillWindow(bestStart, left, len, tol);
            return chosenCount;
        }

        /**
         * Fills {@link #chosen} with the anchor, the ticket at {@code seq[start]} and then, in rating
         * order, every ticket that still fits, until the match is full. Returns the rating spread, or
         * +∞ when the window cannot make a valid match.
         */
        private double fillWindow(int start, int anchorIndex, int len, double tol) {
            int anchor = seq[anchorIndex];
            int count = 0;
            chosen[count++] = anchor;
            int players = size[anchor];
            // Bit x of reach: some subset of the chosen tickets has exactly x players (x <= teamSize).
            int reach = (1 | (1 << size[anchor])) & fullReach;
            double min = rating[seq[start]];
            double max = rating[anchor];
            for (int j = start; j < len && players < need; j++) {
                if (j == anchorIndex) {
                    continue;
                }
                int q = seq[j];
                if (rating[q] - min > tol) {
                    break;
                }
                int nextPlayers = players + size[q];
                if (nextPlayers > need) {
                    if (j == start) {
                        chosenCount = 0;
                        return Double.POSITIVE_INFINITY;
                    }
                    continue;
                }
                int nextReach = (reach | (reach << size[q])) & fullReach;
                if (!packable(nextReach, nextPlayers)) {
                    if (j == start) {
                        chosenCount = 0;
                        return Double.POSITIVE_INFINITY;
                    }
                    continue;
                }
                players = nextPlayers;
                reach = nextReach;
                max = Math.max(max, rating[q]);
                chosen[count++] = q;
            }
            chosenCount = count;
            if (players != need) {
                return Double.POSITIVE_INFINITY;
            }
            return max - min;
        }

        /** Whether {@code players} can go into two teams of at most teamSize each. */
        private boolean packable(int reach, int players) {
            int lowest = Math.max(0, players - teamSize);
            return (reach >>> lowest) != 0;
        }

        private FormedMatch buildMatch(int count) {
            int[] members = Arrays.copyOf(chosen, count);
            Arrays.sort(members);
            List<QueuedTicket> tickets = new ArrayList<>(count);
            List<String> ids = new ArrayList<>(count);
            // A longer waiter than the anchor can be a member: its own turn as anchor found nothing.
            double widest = 0;
            for (int q : members) {
                widest = Math.max(widest, tolerance[q]);
                used[q] = true;
                unlink(q);
                tickets.add(byRating[q]);
                ids.add(byRating[q].ticketId());
            }
            TeamBalancer.Split split = TeamBalancer.balance(tickets, teamSize)
                    .orElseThrow(() -> new IllegalStateException("packable set did not split: " + ids));
            double spread = rating[members[count - 1]] - rating[members[0]];
            return new FormedMatch(
                    matchIds.idFor(ids), key.mode(), key.region(), split.red(), split.blue(), spread, widest);
        }

        private void unlink(int q) {
            if (prev[q] >= 0) {
                next[prev[q]] = next[q];
            }
            if (next[q] >= 0) {
                prev[next[q]] = prev[q];
            }
        }
    }

    private static double waitSeconds(Instant enqueuedAt, Instant now) {
        Duration wait = Duration.between(enqueuedAt, now);
        return wait.getSeconds() + wait.getNano() / 1e9;
    }
}
