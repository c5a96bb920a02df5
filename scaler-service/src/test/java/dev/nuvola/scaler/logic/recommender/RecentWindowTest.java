package dev.nuvola.scaler.logic.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayDeque;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RecentWindowTest {

    @Test
    void keepsTheRecentSamplesOldestFirstAcrossCompactions() {
        RecentWindow w = new RecentWindow();
        assertThat(w.max(7)).isEqualTo(7);
        for (int t = 0; t < 100; t++) {
            w.add(t, t * 10);
            w.dropBefore(t - 9);
        }
        assertThat(w.size()).isEqualTo(10);
        assertThat(w.time(0)).isEqualTo(90);
        assertThat(w.value(9)).isEqualTo(990);
        assertThat(w.max(0)).isEqualTo(990);
        LinearFit fit = w.fit(0, w.size(), 99);
        assertThat(fit.slope()).isEqualTo(10, offset(1e-9));
        assertThat(fit.at(0)).isEqualTo(990, offset(1e-9));
    }

    /** Whatever the adds and drops, the window holds exactly the samples a plain queue would. */
    @Property(tries = 500)
    void behavesLikeAQueue(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 40) Integer> gaps,
                           @ForAll @IntRange(min = 1, max = 200) int keep) {
        RecentWindow w = new RecentWindow();
        ArrayDeque<double[]> q = new ArrayDeque<>();
        double t = 0;
        for (int gap : gaps) {
            t += gap;
            w.add(t, t * 3 % 17);
            q.addLast(new double[] {t, t * 3 % 17});
            w.dropBefore(t - keep);
            while (q.peekFirst()[0] < t - keep) {
                q.removeFirst();
            }
            assertThat(w.size()).isEqualTo(q.size());
            assertThat(w.time(0)).isEqualTo(q.peekFirst()[0]);
            assertThat(w.value(w.size() - 1)).isEqualTo(q.peekLast()[1]);
            assertThat(w.max(0)).isEqualTo(q.stream().mapToDouble(p -> p[1]).max().orElse(0));
        }
    }
}
