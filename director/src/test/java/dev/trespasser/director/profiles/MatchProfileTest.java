package dev.trespasser.director.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trespasser.proto.GameMode;
import dev.trespasser.proto.openmatch2.Pool;
import dev.trespasser.proto.openmatch2.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchProfileTest {

    @Test
    void defaultSpecGivesOneUnslicedProfilePerModeAndRegion() {
        List<MatchProfile> profiles = MatchProfile.parseAll("4v4:eu,4v4:us,2v2:eu,1v1:eu");

        assertEquals(
                List.of("4v4.eu", "4v4.us", "2v2.eu", "1v1.eu"),
                profiles.stream().map(MatchProfile::name).toList());
        assertEquals(GameMode.TWO_V_TWO, profiles.get(2).mode());
    }

    @Test
    void unslicedProfileFiltersOnModeTagAndRegionOnly() {
        Profile profile = MatchProfile.unsliced(GameMode.FOUR_V_FOUR, "eu").toProfile();

        assertEquals("4v4.eu", profile.getName());
        Pool pool = profile.getPoolsOrThrow(MatchProfile.POOL_NAME);
        assertEquals("mode.4v4", pool.getTagPresentFilters(0).getTag());
        assertEquals("region", pool.getStringEqualsFilters(0).getStringArg());
        assertEquals("eu", pool.getStringEqualsFilters(0).getValue());
        assertEquals(0, pool.getDoubleRangeFiltersCount());
    }

    @Test
    void boundsCutThePoolIntoHalfOpenRatingSlicesThatCoverEveryRating() {
        List<MatchProfile> slices = MatchProfile.parseAll("4v4:eu:1200/1800");

        assertEquals(
                List.of("4v4.eu.-1200", "4v4.eu.1200-1800", "4v4.eu.1800-"),
                slices.stream().map(MatchProfile::name).toList());
        Pool.DoubleRangeFilter middle = slices.get(1)
                .toProfile()
                .getPoolsOrThrow(MatchProfile.POOL_NAME)
                .getDoubleRangeFilters(0);
        assertEquals("rating", middle.getDoubleArg());
        assertEquals(1200, middle.getMinimum());
        assertEquals(1800, middle.getMaximum());
        assertEquals(Pool.FilterBounds.EXCLUDE_MAX, middle.getBounds());
        Pool.DoubleRangeFilter lowest = slices.get(0)
                .toProfile()
                .getPoolsOrThrow(MatchProfile.POOL_NAME)
                .getDoubleRangeFilters(0);
        assertEquals(Double.NEGATIVE_INFINITY, lowest.getMinimum());
        assertEquals(
                Double.POSITIVE_INFINITY,
                slices.get(2)
                        .toProfile()
                        .getPoolsOrThrow(MatchProfile.POOL_NAME)
                        .getDoubleRangeFilters(0)
                        .getMaximum());
    }

    @Test
    void badSpecsAreClearErrors() {
        for (String bad : List.of("", "5v5:eu", "4v4", "4v4:EU!", "4v4:eu:1800/1200", "4v4:eu:x", "4v4:eu,4v4:eu")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> MatchProfile.parseAll(bad), bad);
            assertTrue(!e.getMessage().isBlank());
        }
    }
}
