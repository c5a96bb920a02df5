package dev.nuvola.scaler.logic.recommender;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import dev.nuvola.events.GuestMetrics;
import dev.nuvola.events.GuestPolicy;
import dev.nuvola.events.GuestSize;

/**
 * The recommender for one guest: fed its samples in order, it keeps a decaying window of the working set and
 * of the busy vCPUs and says what the guest should have and whether to resize it now. Plain Java, no I/O,
 * no clock: time is the samples' own {@code sampledAt} and the {@code at} of {@link #resized}.
 *
 * <p>The rules, per dimension ({@code T} = the policy's target utilisation; the figures are the defaults of
 * {@link RecommenderConfig}):
 * <ul>
 * <li><b>Emergency grow</b>: a working set at or above 95 % of assigned memory grows memory at once, past the
 *     grow cooldown, by at least 25 %.</li>
 * <li><b>Grow</b> (fast): the first sample above the grow band ({@code T + 5 %}) grows memory, once the short
 *     grow cooldown since the last resize has passed; vCPUs grow when CPU use has stayed above its band for
 *     {@code cpuGrowAfter}.</li>
 * <li><b>Trend grow</b>: inside the band, a working set climbing steadily that would reach the emergency
 *     threshold within the lead time grows memory before it gets there. The climb is a least-squares line over
 *     the trend window, trusted only with enough samples, span and fit (R²); its slope and its value at the
 *     lead time are taken at their one-sided 99 % lower bounds, and each half of the window must climb too:
 *     noise, and a step that happened once, are not trends.</li>
 * <li><b>Shrink</b> (slow): use below the shrink band ({@code T × 75 %}) on every sample for
 *     {@code shrinkAfter}, the long shrink cooldown passed since the last resize (and since the first sample),
 *     and a reduction of at least one granularity step (one vCPU).</li>
 * </ul>
 * A grow's size puts the working set, its percentile and (when trusted) the trend's prediction at {@code T},
 * and the recent peak plus the safety margin at {@code T} too: a grow acts on the first samples over the band,
 * before the window knows how much the use wanders, and should not be followed by a second one when a
 * slightly higher sample of the same load arrives (vCPUs: the busy vCPUs plus the margin, for the same
 * reason and because a saturated CPU hides its demand). A shrink's size puts the working set, its recent peak,
 * its percentile and the trend at {@code T}, and is never below what the guest uses plus the safety margin.
 * Both are rounded up to the granularity and kept within the bounds. Because either lands at or below
 * {@code T}, well inside the band, a grow is not followed by a shrink nor a shrink by a grow unless use
 * really moves (hysteresis).
 *
 * <p>The caller reports applied resizes with {@link #resized}; a change of size seen in the samples
 * themselves counts as a resize too (an operator's, or one whose result was missed). An action is a
 * suggestion: until a resize is reported or seen, the next sample may suggest it again, so the caller keeps
 * one resize in flight at a time. Samples not newer than the last one are ignored; samples taken at or
 * before the last resize still feed the window but are not acted on, as they describe the old size.
 *
 * <p>Thread-safe (each method is synchronised): the scaler may feed it from one thread and read
 * {@link #latest()} from another.
 */
public final class GuestRecommender {
    /** Histogram resolution near zero: 1 MiB, and 0.01 of a busy vCPU. */
    private static final double MEMORY_FIRST_BUCKET = 1.0;
    private static final double CPU_FIRST_BUCKET = 0.01;
    /** A trend may at most double the working set within the lead time: a guard against extrapolating a jump. */
    private static final double TREND_MAX_FACTOR = 2.0;

    private final String guestId;
    private final RecommenderConfig config;
    private final DecayingHistogram memory;
    private final DecayingHistogram cpu;
    private final RecentWindow recent = new RecentWindow();

    private Instant firstSampleAt;
    private Instant lastSampleAt;
    private long samples;
    private Instant lastResizeAt;
    private GuestSize knownSize;
    private Instant memoryLowSince;
    private Instant cpuLowSince;
    private Instant cpuHighSince;
    /*
     * The recommendation on the newest sample (taken at lastSampleAt, with the samples so far), as numbers: a guest
     * keeps them from one sample to its next, long enough for a young collection to promote whatever object held
     * them, and most are never read. The Recommendation is made when it is read.
     */
    private long latestMemoryMiB;
    private int latestVcpus;
    /*
     * What the targets, bounds and confidence are worked out from when read: six percentiles a sample, where deciding
     * needs two. The histograms and the sample count do not change until the next sample, which makes the
     * Recommendation afresh.
     */
    private GuestPolicy latestPolicy;
    private long latestMaxMemoryMiB;
    private int latestMaxVcpus;
    private Action latestAction;
    /*
     * The words of the latest recommendation without an action, written when read. Each dimension's are its
     * Decision's, or for the usual ones (the shared Decisions: inside the band, or low but no shrink yet) made
     * from these numbers of the sample, so that a steady guest keeps nothing of one sample until its next.
     */
    private Decision latestMemory;
    private Decision latestCpus;
    private long latestUsedMiB;
    private double latestMemoryUtilisation;
    private double latestCpuUsage;
    private double latestMemoryTarget;
    private double latestCpuTarget;
    private Instant latestMemoryLowSince;
    private Instant latestCpuLowSince;
    /** The last resize when the latest sample was not after it (stale), else null. */
    private Instant latestStaleResizeAt;
    /** Where the shrink cooldown ran from at the latest sample (a later resize moves it). */
    private Instant latestShrinkClockStart;
    /** The size a shrink would have had, when it is too small to make ({@link Decision#TOO_SMALL_A_SHRINK}). */
    private long memoryShrinkTo;
    private int cpuShrinkTo;
    /** The latest recommendation once made, until the next sample. */
    private Recommendation latest;

    public GuestRecommender(String guestId, RecommenderConfig config) {
        if (guestId == null || guestId.isBlank()) {
            throw new IllegalArgumentException("guestId is required");
        }
        this.guestId = guestId;
        this.config = Objects.requireNonNull(config, "config");
        double halfLife = seconds(config.halfLife());
        this.memory = new DecayingHistogram(MEMORY_FIRST_BUCKET, halfLife);
        this.cpu = new DecayingHistogram(CPU_FIRST_BUCKET, halfLife);
    }

    public String guestId() {
        return guestId;
    }

    public RecommenderConfig config() {
        return config;
    }

    /** The recommendation made on the newest sample, or null before the first one. */
    public synchronized Recommendation latest() {
        if (latest == null && lastSampleAt != null) {
            Bounds bounds = Bounds.of(latestPolicy, latestMaxMemoryMiB, latestMaxVcpus);
            double confidence = confidence(lastSampleAt);
            double memTarget = config.effectiveTarget(latestPolicy.targetMemoryUtilisation());
            double cpuTarget = config.effectiveTarget(latestPolicy.targetCpuUtilisation());
            long targetMemory = roundMemory(memoryNeed(memory.percentile(config.percentile()), memTarget), bounds);
            long lowerMemory = Math.min(targetMemory, roundMemory(
                    memoryNeed(memory.percentile(config.lowerBoundPercentile()), memTarget) * (0.5 + 0.5 * confidence),
                    bounds));
            long upperMemory = Math.max(targetMemory, roundMemory(
                    memoryNeed(memory.percentile(config.upperBoundPercentile()), memTarget) * (2 - confidence), bounds));
            int targetVcpus;
            int lowerVcpus;
            int upperVcpus;
            if (cpu.isEmpty()) {
                targetVcpus = lowerVcpus = upperVcpus = clampVcpus(latestVcpus, bounds);
            } else {
                targetVcpus = ceilVcpus(cpuNeed(cpu.percentile(config.percentile()), cpuTarget), bounds);
                lowerVcpus = Math.min(targetVcpus, ceilVcpus(
                        cpuNeed(cpu.percentile(config.lowerBoundPercentile()), cpuTarget) * (0.5 + 0.5 * confidence),
                        bounds));
                upperVcpus = Math.max(targetVcpus, ceilVcpus(
                        cpuNeed(cpu.percentile(config.upperBoundPercentile()), cpuTarget) * (2 - confidence), bounds));
            }
            latest = new Recommendation(guestId, lastSampleAt, new GuestSize(latestMemoryMiB, latestVcpus),
                    targetMemory, lowerMemory, upperMemory, targetVcpus, lowerVcpus, upperVcpus, confidence,
                    samples, latestAction, latestAction != null ? latestAction.reason() : latestNote());
        }
        return latest;
    }

    /**
     * A resize was applied at {@code at} (by the agent's clock, as samples are): starts the cooldowns afresh,
     * restarts the sustained-use clocks, and makes samples taken at or before {@code at} stale. A resize
     * reported out of order (older than one already known) does not move the cooldown back.
     */
    public synchronized void resized(GuestSize newSize, Instant at) {
        Objects.requireNonNull(newSize, "newSize");
        Objects.requireNonNull(at, "at");
        knownSize = newSize;
        if (lastResizeAt == null || at.isAfter(lastResizeAt)) {
            lastResizeAt = at;
        }
        memoryLowSince = null;
        cpuLowSince = null;
        cpuHighSince = null;
    }

    /**
     * Takes one sample into account and says what the guest should have.
     *
     * @param sample                 the guest's newest sample; one not newer than the last is ignored
     * @param policy                 the guest's policy: bounds and target utilisations
     * @param hypervisorMaxMemoryMiB the most memory the guest can have live (libvirt's maximum memory);
     *                               {@link Long#MAX_VALUE} when there is no such limit
     * @param hypervisorMaxVcpus     the most vCPUs it can have live; {@link Integer#MAX_VALUE} when unlimited
     */
    public synchronized Recommendation observe(GuestMetrics sample, GuestPolicy policy, long hypervisorMaxMemoryMiB,
                                               int hypervisorMaxVcpus) {
        Instant last = lastSampleAt;
        if (take(sample, policy, hypervisorMaxMemoryMiB, hypervisorMaxVcpus)) {
            return latest();
        }
        return latest().withoutAction("sample taken at " + sample.sampledAt()
                + " ignored: not newer than the last one, taken at " + last);
    }

    /**
     * As {@link #observe}, for the caller that only acts: the resize to make now, or null. The words of a
     * recommendation that changes nothing are left unwritten until {@link #latest()} is read: most samples change
     * nothing, and nobody reads why.
     */
    public synchronized Action decide(GuestMetrics sample, GuestPolicy policy, long hypervisorMaxMemoryMiB,
                                      int hypervisorMaxVcpus) {
        return take(sample, policy, hypervisorMaxMemoryMiB, hypervisorMaxVcpus) ? latestAction : null;
    }

    /** Makes the recommendation on this sample the latest, or says false when the sample is ignored (not newer). */
    private boolean take(GuestMetrics sample, GuestPolicy policy, long hypervisorMaxMemoryMiB,
                         int hypervisorMaxVcpus) {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(policy, "policy");
        if (!guestId.equals(sample.guestId())) {
            throw new IllegalArgumentException("sample of guest " + sample.guestId() + " given to the recommender of "
                    + guestId);
        }
        if (!guestId.equals(policy.guestId())) {
            throw new IllegalArgumentException("policy of guest " + policy.guestId() + " given to the recommender of "
                    + guestId);
        }
        if (hypervisorMaxMemoryMiB < 0 || hypervisorMaxVcpus < 0) {
            throw new IllegalArgumentException("hypervisor maxima must not be negative, got " + hypervisorMaxMemoryMiB
                    + " MiB and " + hypervisorMaxVcpus + " vCPUs");
        }
        Instant t = sample.sampledAt();
        if (lastSampleAt != null && !t.isAfter(lastSampleAt)) {
            return false;
        }

        GuestSize size = new GuestSize(sample.memoryAssignedMiB(), sample.vcpus());
        boolean stale = lastResizeAt != null && !t.isAfter(lastResizeAt);
        if (!stale) {
            noticeSizeChange(size);
        }
        double ts = seconds(t);
        double used = sample.memoryUsedMiB();
        double busy = sample.cpuUsage() * sample.vcpus();
        memory.add(used, ts);
        if (sample.vcpus() > 0) {
            cpu.add(busy, ts);
        }
        // Dropped first: a guest silent for weeks comes back to an empty window, not to one whose times span them.
        recent.dropBefore(ts - seconds(config.trendWindow()));
        recent.add(ts, sample.memoryUsedMiB());
        if (firstSampleAt == null) {
            firstSampleAt = t;
        }
        lastSampleAt = t;
        samples++;

        Bounds bounds = Bounds.of(policy, hypervisorMaxMemoryMiB, hypervisorMaxVcpus);
        double p = memory.percentile(config.percentile());

        Action action = null;
        Decision mem = null;
        Decision cpus = null;
        if (!stale) {
            mem = decideMemory(sample, policy, bounds, p, t);
            cpus = decideCpu(sample, policy, bounds, t);
            Action.Kind kind = mem.kind;
            if (kind == null || (cpus.kind != null && cpus.kind.ordinal() < kind.ordinal())) {
                kind = cpus.kind;
            }
            if (kind != null) {
                GuestSize to = new GuestSize(mem.kind != null ? mem.to : size.memoryMiB(),
                        cpus.kind != null ? (int) cpus.to : size.vcpus());
                action = new Action(kind, size, to, join(mem.kind != null ? mem.text.get() : null,
                        cpus.kind != null ? cpus.text.get() : null));
            }
        }
        latestMemoryMiB = size.memoryMiB();
        latestVcpus = size.vcpus();
        latestPolicy = policy;
        latestMaxMemoryMiB = hypervisorMaxMemoryMiB;
        latestMaxVcpus = hypervisorMaxVcpus;
        latestAction = action;
        latestMemory = action == null ? mem : null;
        latestCpus = action == null ? cpus : null;
        latestUsedMiB = sample.memoryUsedMiB();
        latestMemoryUtilisation = sample.memoryUtilisation();
        latestCpuUsage = sample.cpuUsage();
        latestMemoryTarget = policy.targetMemoryUtilisation();
        latestCpuTarget = policy.targetCpuUtilisation();
        latestMemoryLowSince = memoryLowSince;
        latestCpuLowSince = cpuLowSince;
        latestStaleResizeAt = stale ? lastResizeAt : null;
        latestShrinkClockStart = shrinkClockStart();
        latest = null;
        return true;
    }

    /** The words of the latest recommendation without an action. */
    private String latestNote() {
        if (latestStaleResizeAt != null) {
            return "sample taken at " + lastSampleAt + ", not after the last resize at " + latestStaleResizeAt
                    + ": it describes the old size and is not acted on";
        }
        String memoryText = text(latestMemory, memoryUsedText(latestUsedMiB, latestMemoryUtilisation, latestMemoryMiB),
                latestMemoryTarget, latestMemoryLowSince, () -> "; no shrink: the recommended " + memoryShrinkTo
                        + " MiB is not at least " + config.granularityMiB() + " MiB below " + latestMemoryMiB + " MiB");
        String cpuText = text(latestCpus, cpuUsedText(latestCpuUsage, latestVcpus), latestCpuTarget,
                latestCpuLowSince, () -> "; no shrink: the recommended " + cpuShrinkTo + " vCPUs are not fewer than "
                        + latestVcpus);
        return join(memoryText, cpuText);
    }

    /**
     * A dimension's words: its own, or for the shared Decisions made from the sample's numbers as they would have
     * been then ({@code tooSmall}: why a shrink too small to make is not made, in this dimension's units).
     */
    private String text(Decision decision, String usedText, double targetUtilisation, Instant lowSince,
                        Supplier<String> tooSmall) {
        double shrinkBelow = config.shrinkBelow(targetUtilisation);
        if (decision == Decision.INSIDE_BAND) {
            double growAbove = config.growAbove(targetUtilisation);
            return usedText + ", inside the " + percent(shrinkBelow) + "–" + percent(growAbove) + "% band";
        }
        if (decision.text != null) {
            return decision.text.get();
        }
        // The others are low for a while; then the shrink needs longer, waits for the cooldown, or is too small.
        String lowText = lowText(usedText, shrinkBelow, Duration.between(lowSince, lastSampleAt));
        if (decision == Decision.LOW_TOO_SHORT) {
            return lowText + "; a shrink needs " + duration(config.shrinkAfter());
        }
        if (decision == Decision.SHRINK_COOLING) {
            return lowText + "; the shrink waits until " + latestShrinkClockStart.plus(config.shrinkCooldown()) + " ("
                    + duration(config.shrinkCooldown()) + " cooldown)";
        }
        return lowText + tooSmall.get();
    }

    // ---------------------------------------------------------------------------------------------- memory

    private Decision decideMemory(GuestMetrics sample, GuestPolicy policy, Bounds bounds, double p, Instant t) {
        long assigned = sample.memoryAssignedMiB();
        long used = sample.memoryUsedMiB();
        double util = sample.memoryUtilisation();
        double target = config.effectiveTarget(policy.targetMemoryUtilisation());
        double growAbove = config.growAbove(policy.targetMemoryUtilisation());
        double shrinkBelow = config.shrinkBelow(policy.targetMemoryUtilisation());

        if (util < shrinkBelow) {
            if (memoryLowSince == null) {
                memoryLowSince = t;
            }
        } else {
            memoryLowSince = null;
        }

        Trend trend = trend(assigned, used, t);
        double peak = Math.max(used, recent.max(used));
        // Texts are suppliers: most samples change nothing, and their words are read only if someone asks.
        Supplier<String> usedText = () -> memoryUsedText(used, util, assigned);
        Instant resizeAt = lastResizeAt;

        Action.Kind kind = null;
        Supplier<String> trigger = null;
        if (util >= config.emergencyThreshold()) {
            kind = Action.Kind.EMERGENCY_GROW;
            trigger = () -> usedText.get() + ", at or above the " + percent(config.emergencyThreshold())
                    + "% emergency threshold";
        } else if (util > growAbove) {
            if (growCooled(t)) {
                kind = Action.Kind.GROW;
                trigger = () -> usedText.get() + ", above the " + percent(growAbove) + "% band";
            } else {
                return Decision.none(() -> usedText.get() + ", above the " + percent(growAbove)
                        + "% band; the grow waits for the " + duration(config.growCooldown())
                        + " cooldown after the resize at " + resizeAt);
            }
        } else if (trend.exhausts && growCooled(t)) {
            kind = Action.Kind.TREND_GROW;
            trigger = () -> usedText.get() + " and climbing " + String.format(Locale.ROOT, "%.1f", trend.slope)
                    + " MiB/s: it would reach the " + percent(config.emergencyThreshold()) + "% emergency threshold in "
                    + duration(Duration.ofSeconds((long) Math.ceil(trend.secondsToEmergency)))
                    + ", within the " + duration(config.trendLeadTime()) + " lead time";
        }

        if (kind != null) {
            Terms terms = new Terms();
            addMemoryNeed(terms, p, target);
            terms.add(used / target, () -> "working set " + used + " MiB at the " + percent(target) + "% target");
            // A grow acts on the first samples over the band, before the window knows the use's spread: the
            // margin on the peak keeps the next, higher, sample of the same load from crossing the band again.
            terms.add(config.withMargin(peak) / target, () -> "peak " + Math.round(peak) + " MiB of the last "
                    + duration(config.trendWindow()) + " plus the margin at the " + percent(target) + "% target");
            terms.add(config.withMargin(used), () -> "working set " + used + " MiB plus the margin");
            if (trend.trusted) {
                terms.add(trend.predicted / target, () -> "predicted " + Math.round(trend.predicted) + " MiB in "
                        + duration(config.trendLeadTime()) + " at the " + percent(target) + "% target");
            }
            if (kind == Action.Kind.EMERGENCY_GROW) {
                terms.add(assigned * (1 + config.emergencyGrowth()),
                        () -> "the " + percent(config.emergencyGrowth()) + "% emergency growth");
            }
            long to = roundMemory(terms.best, bounds);
            Supplier<String> why = trigger;
            if (to <= assigned) {
                return Decision.none(() -> why.get() + ", but memory cannot grow beyond " + assigned + " MiB: "
                        + maximumText(bounds.memoryMax, bounds));
            }
            return new Decision(kind, to, () -> why.get() + ": memory " + assigned + " → " + to + " MiB ("
                    + explainMemory(terms, to, bounds) + ")");
        }

        ShrinkGate gate = shrinkGate(memoryLowSince, t, usedText, shrinkBelow);
        if (gate.refusal() != null) {
            return gate.refusal();
        }
        Supplier<String> lowText = gate.lowText();
        Terms terms = new Terms();
        addMemoryNeed(terms, p, target);
        terms.add(used / target, () -> "working set " + used + " MiB at the " + percent(target) + "% target");
        terms.add(peak / target, () -> "peak " + Math.round(peak) + " MiB of the last "
                + duration(config.trendWindow()) + " at the " + percent(target) + "% target");
        double floor = config.withMargin(used);
        terms.add(floor, () -> "working set " + used + " MiB plus the margin");
        if (trend.trusted) {
            terms.add(trend.predicted / target, () -> "predicted " + Math.round(trend.predicted) + " MiB in "
                    + duration(config.trendLeadTime()) + " at the " + percent(target) + "% target");
        }
        long to = roundMemory(terms.best, bounds);
        if (to < floor) {
            return Decision.none(() -> lowText.get() + "; no shrink: the bounds would put memory below the working set"
                    + " plus the margin");
        }
        if (to > assigned - config.granularityMiB()) {
            memoryShrinkTo = to;
            return Decision.TOO_SMALL_A_SHRINK;
        }
        Duration since = Duration.between(shrinkClockStart(), t);
        return new Decision(Action.Kind.SHRINK, to, () -> lowText.get() + ", " + duration(since)
                + " since the last resize: memory " + assigned + " → " + to + " MiB ("
                + explainMemory(terms, to, bounds) + ")");
    }

    private static String memoryUsedText(long used, double util, long assigned) {
        return "working set " + used + " MiB is " + percent(util) + "% of " + assigned + " MiB";
    }

    /** The memory a percentile asks for: plus the margin, and no less than what puts it at the target. */
    private double memoryNeed(double percentile, double target) {
        return Math.max(config.withMargin(percentile), percentile / target);
    }

    private void addMemoryNeed(Terms terms, double p, double target) {
        terms.add(config.withMargin(p), () -> percentileName() + " " + Math.round(p) + " MiB plus the margin");
        terms.add(p / target, () -> percentileName() + " " + Math.round(p) + " MiB at the " + percent(target)
                + "% target");
    }

    /** p95, with the default percentile. */
    private String percentileName() {
        return "p" + percent(config.percentile());
    }

    private String explainMemory(Terms terms, long to, Bounds bounds) {
        long rounded = (long) Math.ceil(terms.best / config.granularityMiB()) * config.granularityMiB();
        String text = terms.why.get();
        if (to == bounds.memoryMax && rounded > to) {
            return text + ", capped at " + maximumText(to, bounds);
        }
        if (to == bounds.memoryMin && rounded < to) {
            return text + ", raised to the policy minimum " + to + " MiB";
        }
        return text + ", rounded up to " + config.granularityMiB() + " MiB";
    }

    private static String maximumText(long max, Bounds bounds) {
        return bounds.memoryMaxIsHypervisor ? "the hypervisor maximum " + max + " MiB"
                : "the policy maximum " + max + " MiB";
    }

    private long roundMemory(double raw, Bounds bounds) {
        long g = config.granularityMiB();
        double steps = Math.ceil(Math.max(0, raw) / g);
        long rounded = steps * g >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) steps * g;
        return Math.max(bounds.memoryMin, Math.min(bounds.memoryMax, rounded));
    }

    private Trend trend(long assigned, long used, Instant t) {
        int n = recent.size();
        if (n < config.trendMinSamples()) {
            return Trend.NONE;
        }
        double now = seconds(t);
        double span = now - recent.time(0);
        if (span < seconds(config.trendMinSpan())) {
            return Trend.NONE;
        }
        LinearFit fit = recent.fitAll(now);
        if (fit == null || fit.r2() < config.trendMinFit()) {
            return Trend.NONE;
        }
        // The slope at its 99 % lower bound: a climb the samples leave little doubt about.
        double slope = fit.slopeLowerBound();
        if (slope <= 0) {
            return Trend.NONE;
        }
        // A step (use that jumped once, then stayed) fits a line well too, but leaves one half of the window
        // flat: a climb rises in both.
        double middle = now - span / 2;
        int firstHalf = 0;
        while (firstHalf < n && recent.time(firstHalf) < middle) {
            firstHalf++;
        }
        if (!climbs(recent.fit(0, firstHalf, now)) || !climbs(recent.fit(firstHalf, n, now))) {
            return Trend.NONE;
        }
        double nowFitted = fit.at(0);
        double lead = seconds(config.trendLeadTime());
        // The line at the lead time, at its 99 % lower bound: the further out, the more doubt.
        double predicted = Math.min(fit.lowerBoundAt(lead),
                TREND_MAX_FACTOR * Math.max(nowFitted, used));
        double emergency = config.emergencyThreshold() * assigned;
        double secondsToEmergency = Math.max(0, (emergency - nowFitted) / slope);
        boolean exhausts = assigned > 0 && predicted >= emergency;
        return new Trend(true, exhausts, slope, predicted, secondsToEmergency);
    }

    private static boolean climbs(LinearFit half) {
        return half != null && half.n() >= 3 && half.slopeLowerBound() > 0;
    }

    private record Trend(boolean trusted, boolean exhausts, double slope, double predicted, double secondsToEmergency) {
        static final Trend NONE = new Trend(false, false, 0, 0, Double.POSITIVE_INFINITY);
    }

    // ---------------------------------------------------------------------------------------------- vCPUs

    private Decision decideCpu(GuestMetrics sample, GuestPolicy policy, Bounds bounds, Instant t) {
        int vcpus = sample.vcpus();
        if (vcpus == 0) {
            cpuLowSince = null;
            cpuHighSince = null;
            return Decision.NO_VCPUS;
        }
        double usage = sample.cpuUsage();
        double busy = usage * vcpus;
        double target = config.effectiveTarget(policy.targetCpuUtilisation());
        double growAbove = config.growAbove(policy.targetCpuUtilisation());
        double shrinkBelow = config.shrinkBelow(policy.targetCpuUtilisation());
        double pc = cpu.percentile(config.percentile());
        Supplier<String> usedText = () -> cpuUsedText(usage, vcpus);

        if (usage > growAbove) {
            if (cpuHighSince == null) {
                cpuHighSince = t;
            }
        } else {
            cpuHighSince = null;
        }
        if (usage < shrinkBelow) {
            if (cpuLowSince == null) {
                cpuLowSince = t;
            }
        } else {
            cpuLowSince = null;
        }

        if (cpuHighSince != null) {
            Duration high = Duration.between(cpuHighSince, t);
            Supplier<String> highText = () -> usedText.get() + ", above the " + percent(growAbove) + "% band for "
                    + duration(high);
            if (high.compareTo(config.cpuGrowAfter()) < 0) {
                return Decision.none(() -> highText.get() + "; vCPUs grow after " + duration(config.cpuGrowAfter()));
            }
            if (!growCooled(t)) {
                Instant resizeAt = lastResizeAt;
                return Decision.none(() -> highText.get() + "; the grow waits for the "
                        + duration(config.growCooldown()) + " cooldown after the resize at " + resizeAt);
            }
            Terms terms = new Terms();
            addCpuNeed(terms, pc, target);
            terms.add(busy / target, () -> "busy " + cores(busy) + " vCPUs at the " + percent(target) + "% target");
            // As for memory, the margin on top: busy vCPUs near 100 % hide how many more the load wants.
            terms.add(busy * (1 + config.safetyMargin()) / target, () -> "busy " + cores(busy)
                    + " vCPUs plus the margin at the " + percent(target) + "% target");
            terms.add(vcpus + 1, () -> "one more than " + vcpus);
            int to = ceilVcpus(terms.best, bounds);
            if (to <= vcpus) {
                return Decision.none(() -> highText.get() + ", but vCPUs cannot grow beyond " + vcpus + ": "
                        + (bounds.vcpusMaxIsHypervisor ? "the hypervisor" : "the policy") + " maximum is "
                        + bounds.vcpusMax);
            }
            return new Decision(Action.Kind.GROW, to, () -> highText.get() + ": vCPUs " + vcpus + " → " + to + " ("
                    + explainCpu(terms, to, bounds) + ")");
        }
        ShrinkGate gate = shrinkGate(cpuLowSince, t, usedText, shrinkBelow);
        if (gate.refusal() != null) {
            return gate.refusal();
        }
        Supplier<String> lowText = gate.lowText();
        Terms terms = new Terms();
        addCpuNeed(terms, pc, target);
        terms.add(busy / target, () -> "busy " + cores(busy) + " vCPUs at the " + percent(target) + "% target");
        double floor = busy * (1 + config.safetyMargin());
        terms.add(floor, () -> "busy " + cores(busy) + " vCPUs plus the margin");
        int to = ceilVcpus(terms.best, bounds);
        if (to < floor - 1e-9) {
            return Decision.none(() -> lowText.get()
                    + "; no shrink: the bounds would put vCPUs below the busy ones plus the margin");
        }
        if (to >= vcpus) {
            cpuShrinkTo = to;
            return Decision.TOO_SMALL_A_SHRINK;
        }
        Duration since = Duration.between(shrinkClockStart(), t);
        return new Decision(Action.Kind.SHRINK, to, () -> lowText.get() + ", " + duration(since)
                + " since the last resize: vCPUs " + vcpus + " → " + to + " (" + explainCpu(terms, to, bounds) + ")");
    }

    private static String cpuUsedText(double usage, int vcpus) {
        return "CPU " + percent(usage) + "% of " + vcpus + " vCPUs";
    }

    /** The vCPUs a percentile of busy vCPUs asks for: plus the margin, and no less than what puts it at target. */
    private double cpuNeed(double busy, double target) {
        return Math.max(busy * (1 + config.safetyMargin()), busy / target);
    }

    private void addCpuNeed(Terms terms, double pc, double target) {
        terms.add(pc * (1 + config.safetyMargin()), () -> percentileName() + " " + cores(pc)
                + " busy vCPUs plus the margin");
        terms.add(pc / target, () -> percentileName() + " " + cores(pc) + " busy vCPUs at the " + percent(target)
                + "% target");
    }

    private static String explainCpu(Terms terms, int to, Bounds bounds) {
        int rounded = (int) Math.ceil(Math.min(terms.best, Integer.MAX_VALUE) - 1e-9);
        String why = terms.why.get();
        if (to == bounds.vcpusMax && rounded > to) {
            return why + ", capped at the " + (bounds.vcpusMaxIsHypervisor ? "hypervisor" : "policy")
                    + " maximum " + to;
        }
        if (to == bounds.vcpusMin && rounded < to) {
            return why + ", raised to the minimum " + to;
        }
        return why + ", rounded up";
    }

    private static int ceilVcpus(double raw, Bounds bounds) {
        double capped = Math.min(Math.max(0, raw), Integer.MAX_VALUE / 2.0);
        return clampVcpus((int) Math.ceil(capped - 1e-9), bounds);
    }

    private static int clampVcpus(int vcpus, Bounds bounds) {
        return Math.max(bounds.vcpusMin, Math.min(bounds.vcpusMax, vcpus));
    }

    // ---------------------------------------------------------------------------------------------- shared

    /**
     * A size change seen in the samples that no reported resize explains (memory off by half a granularity
     * step or more, or another vCPU count) is a resize too: it happened after the previous sample.
     */
    private void noticeSizeChange(GuestSize size) {
        if (knownSize == null) {
            knownSize = size;
            return;
        }
        long tolerance = Math.max(1, config.granularityMiB() / 2);
        boolean changed = Math.abs(size.memoryMiB() - knownSize.memoryMiB()) >= tolerance
                || size.vcpus() != knownSize.vcpus();
        if (changed) {
            knownSize = size;
            if (lastSampleAt != null && (lastResizeAt == null || lastSampleAt.isAfter(lastResizeAt))) {
                lastResizeAt = lastSampleAt;
            }
            memoryLowSince = null;
            cpuLowSince = null;
            cpuHighSince = null;
        }
    }

    private boolean growCooled(Instant t) {
        return lastResizeAt == null || Duration.between(lastResizeAt, t).compareTo(config.growCooldown()) >= 0;
    }

    /** The shrink cooldown runs from the last resize, or from the first sample when that is later. */
    private Instant shrinkClockStart() {
        if (lastResizeAt == null || firstSampleAt.isAfter(lastResizeAt)) {
            return firstSampleAt;
        }
        return lastResizeAt;
    }

    /** Whether a shrink may go ahead: why not ({@code refusal}), and how long use has been low. */
    private record ShrinkGate(Decision refusal, Supplier<String> lowText) {
    }

    /** The same gate for memory and vCPUs: use low for long enough, and the shrink cooldown over. */
    private ShrinkGate shrinkGate(Instant lowSince, Instant t, Supplier<String> usedText, double shrinkBelow) {
        if (lowSince == null) {
            return new ShrinkGate(Decision.INSIDE_BAND, null);
        }
        Duration low = Duration.between(lowSince, t);
        Supplier<String> lowText = () -> lowText(usedText.get(), shrinkBelow, low);
        if (low.compareTo(config.shrinkAfter()) < 0) {
            return new ShrinkGate(Decision.LOW_TOO_SHORT, lowText);
        }
        if (!shrinkCooled(t)) {
            return new ShrinkGate(Decision.SHRINK_COOLING, lowText);
        }
        return new ShrinkGate(null, lowText);
    }

    private static String lowText(String usedText, double shrinkBelow, Duration low) {
        return usedText + ", below the " + percent(shrinkBelow) + "% band for " + duration(low);
    }

    private boolean shrinkCooled(Instant t) {
        return Duration.between(shrinkClockStart(), t).compareTo(config.shrinkCooldown()) >= 0;
    }

    private double confidence(Instant t) {
        double span = seconds(t) - seconds(firstSampleAt);
        double byTime = span / seconds(config.confidenceFullAfter());
        double bySamples = (double) samples / config.confidenceFullSamples();
        return Math.max(0, Math.min(1, Math.min(byTime, bySamples)));
    }

    private record Bounds(long memoryMin, long memoryMax, boolean memoryMaxIsHypervisor, int vcpusMin, int vcpusMax,
                          boolean vcpusMaxIsHypervisor) {
        /** Within the policy and the hypervisor's maximum; when those conflict, the maximum wins. */
        static Bounds of(GuestPolicy policy, long hypervisorMaxMemoryMiB, int hypervisorMaxVcpus) {
            long memoryMax = Math.min(policy.maxMemoryMiB(), hypervisorMaxMemoryMiB);
            long memoryMin = Math.min(policy.minMemoryMiB(), memoryMax);
            int vcpusMax = Math.min(policy.maxVcpus(), hypervisorMaxVcpus);
            int vcpusMin = Math.min(Math.max(1, policy.minVcpus()), vcpusMax);
            return new Bounds(memoryMin, memoryMax, hypervisorMaxMemoryMiB < policy.maxMemoryMiB(), vcpusMin, vcpusMax,
                    hypervisorMaxVcpus < policy.maxVcpus());
        }
    }

    /** One dimension's outcome: a kind and size when it changes, and the words for it (made when read). */
    private record Decision(Action.Kind kind, long to, Supplier<String> text) {
        /** A guest without vCPUs has nothing to say about them: one object for every such sample. */
        static final Decision NO_VCPUS = none(() -> null);
        /*
         * The usual outcomes: use inside the band; or below it for less than shrinkAfter, during the shrink
         * cooldown, or with too small a shrink to make. One object each for every sample, their words made from
         * the recommender's latest numbers when read (text()).
         */
        static final Decision INSIDE_BAND = none(null);
        static final Decision LOW_TOO_SHORT = none(null);
        static final Decision SHRINK_COOLING = none(null);
        static final Decision TOO_SMALL_A_SHRINK = none(null);

        static Decision none(Supplier<String> text) {
            return new Decision(null, 0, text);
        }
    }

    /** The largest of several needs, and which one it was. */
    private static final class Terms {
        double best = 0;
        Supplier<String> why = () -> "nothing";

        void add(double value, Supplier<String> reason) {
            if (value > best) {
                best = value;
                why = reason;
            }
        }
    }

    private static String join(String a, String b) {
        List<String> parts = new ArrayList<>(2);
        if (a != null) {
            parts.add(a);
        }
        if (b != null) {
            parts.add(b);
        }
        return String.join("; ", parts);
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    private static long percent(double fraction) {
        return Math.round(fraction * 100);
    }

    private static String cores(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** 45 s, 5 min, 2 min 30 s, 1 h 5 min. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + " s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder text = new StringBuilder();
        if (h > 0) {
            text.append(h).append(" h");
        }
        if (m > 0) {
            text.append(text.isEmpty() ? "" : " ").append(m).append(" min");
        }
        if (sec > 0) {
            text.append(text.isEmpty() ? "" : " ").append(sec).append(" s");
        }
        return text.toString();
    }
}
