package dev.trespasser.match.testing;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads counters straight from a registry, as a scrape would see them. */
public final class MetricValues {

    private MetricValues() {}

    /** The counter's value for one label value (0 when never incremented); name without {@code _total}. */
    public static double counter(PrometheusRegistry registry, String name, String label, String value) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot instanceof CounterSnapshot counter
                    && counter.getMetadata().getName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
                    if (label == null || value.equals(point.getLabels().get(label))) {
                        return point.getValue();
                    }
                }
            }
        }
        return 0;
    }

    public static double counter(PrometheusRegistry registry, String name) {
        return counter(registry, name, null, null);
    }
}
