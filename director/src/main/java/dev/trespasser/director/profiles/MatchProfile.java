package dev.trespasser.director.profiles;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.TicketAttributes;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One matchmaking loop's share of the queue: a mode, a region and a rating slice
 * {@code [minRating, maxRating)}. An unsliced profile has infinite bounds and no rating filter.
 *
 * <p>Configuration syntax ({@code DIRECTOR_PROFILES}): comma-separated {@code
 * mode:region[:b1/b2/...]}. Bounds cut the (mode, region) pool into rating slices: {@code
 * 4v4:eu:1200/1800} is three profiles, ratings below 1200, 1200 to 1800, 1800 and above. See the
 * README for when to slice.
 */
public record MatchProfile(GameMode mode, String region, double minRating, double maxRating) {

    /** The one pool every profile has; om-core omits it from the MMF request when it is empty. */
    public static final String POOL_NAME = "tickets";

    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public MatchProfile {
        Objects.requireNonNull(mode, "mode");
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must match " + REGION.pattern() + ": " + region);
        }
        if (Double.isNaN(minRating) || Double.isNaN(maxRating) || !(minRating < maxRating)) {
            throw new IllegalArgumentException("rating slice must be [min, max) with min < max");
        }
    }

    public static MatchProfile unsliced(GameMode mode, String region) {
        return new MatchProfile(mode, region, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public boolean sliced() {
        return minRating != Double.NEGATIVE_INFINITY || maxRating != Double.POSITIVE_INFINITY;
    }

    /** {@code 4v4.eu}, or with a slice {@code 4v4.eu.1200-1800}, {@code 4v4.eu.-1200}, {@code 4v4.eu.1800-}. */
    public String name() {
        String base = mode.label() + "." + region;
        if (!sliced()) {
            return base;
        }
        return base + "." + bound(minRating) + "-" + bound(maxRating);
    }

    /** The om-core profile: tickets tagged with the mode, in the region, inside the slice. */
    public Profile toProfile() {
        return Profile.newBuilder()
                .setName(name())
                .putPools(POOL_NAME, pool().build())
                .build();
    }

    /**
     * Slice {@code index} (1-based) of {@code count} of this profile's pool, by ticket creation
     * time; named {@code <name>~<index>/<count>} so om-core's, the MMF's and the director's logs say
     * which slice a match came from.
     */
    public Profile toProfile(CreationTimeSlices.Range range, int index, int count) {
        // om-core reads a missing start or end as 1970: both are always set, to the extremes a
        // Timestamp can hold when the slice is open on that side.
        Timestamp start = range.unboundedStart() ? Timestamps.MIN_VALUE : Timestamps.fromMillis(range.startMillis());
        Timestamp end = range.unboundedEnd() ? Timestamps.MAX_VALUE : Timestamps.fromMillis(range.endMillis());
        Pool pool = pool().setCreationTimeRangeFilter(Pool.CreationTimeRangeFilter.newBuilder()
                        .setStart(start)
                        .setEnd(end)
                        // Half-open, so a ticket created on a boundary belongs to exactly one slice.
                        .setBounds(Pool.FilterBounds.EXCLUDE_END))
                .build();
        return Profile.newBuilder()
                .setName(sliceName(index, count))
                .putPools(POOL_NAME, pool)
                .build();
    }

    /** {@code 4v4.eu~2/3}: the second of three creation-time slices. */
    public String sliceName(int index, int count) {
        return name() + "~" + index + "/" + count;
    }

    private Pool.Builder pool() {
        Pool.Builder pool = Pool.newBuilder()
                .setName(POOL_NAME)
                .addTagPresentFilters(Pool.TagPresentFilter.newBuilder().setTag(TicketAttributes.modeTag(mode)))
                .addStringEqualsFilters(Pool.StringEqualsFilter.newBuilder()
                        .setStringArg(TicketAttributes.REGION)
                        .setValue(region));
        if (sliced()) {
            // Half-open, so a ticket on a boundary belongs to exactly one slice.
            pool.addDoubleRangeFilters(Pool.DoubleRangeFilter.newBuilder()
                    .setDoubleArg(TicketAttributes.RATING)
                    .setMinimum(minRating)
                    .setMaximum(maxRating)
                    .setBounds(Pool.FilterBounds.EXCLUDE_MAX));
        }
        return pool;
    }

    /** Parses {@code DIRECTOR_PROFILES}; see the class comment for the syntax. */
    public static List<MatchProfile> parseAll(String spec) {
        List<MatchProfile> profiles = new ArrayList<>();
        Set<String> queues = new HashSet<>();
        for (String raw : spec.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("profile '" + entry + "': expected mode:region[:bounds]");
            }
            GameMode mode = GameMode.fromLabel(parts[0].trim())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "profile '" + entry + "': unknown mode '" + parts[0].trim() + "'"));
            String region = parts[1].trim().toLowerCase(Locale.ROOT);
            if (!queues.add(mode.label() + ":" + region)) {
                throw new IllegalArgumentException(
                        "profile '" + entry + "': " + mode.label() + ":" + region + " listed twice");
            }
            List<Double> bounds = parts.length == 3 ? bounds(entry, parts[2]) : List.of();
            double lower = Double.NEGATIVE_INFINITY;
            for (double bound : bounds) {
                profiles.add(new MatchProfile(mode, region, lower, bound));
                lower = bound;
            }
            profiles.add(new MatchProfile(mode, region, lower, Double.POSITIVE_INFINITY));
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no profiles configured");
        }
        return List.copyOf(profiles);
    }

    private static List<Double> bounds(String entry, String text) {
        List<Double> bounds = new ArrayList<>();
        for (String part : text.split("/", -1)) {
            double bound;
            try {
                bound = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "profile '" + entry + "': rating bound '" + part + "' is not a number");
            }
            if (!Double.isFinite(bound) || (!bounds.isEmpty() && bound <= bounds.get(bounds.size() - 1))) {
                throw new IllegalArgumentException(
                        "profile '" + entry + "': rating bounds must be finite and increasing");
            }
            bounds.add(bound);
        }
        return bounds;
    }

    private static String bound(double value) {
        if (Double.isInfinite(value)) {
            return "";
        }
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
