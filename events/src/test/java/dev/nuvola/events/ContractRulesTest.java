package dev.nuvola.events;

import static dev.nuvola.events.Rejections.edit;
import static dev.nuvola.events.Rejections.invalid;
import static dev.nuvola.events.Rejections.refused;
import static dev.nuvola.events.Rejections.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Contract rules beyond field presence and units (listed in docs/events.md), one test each. */
class ContractRulesTest {

    @Test
    void rangeErrorsInNestedRecordsNameTheFullPath() {
        refused(MigrationRequest.class, edit(Examples.migrationRequest(),
                t -> ((ObjectNode) t.get("requiredSize")).put("memoryMiB", 2147483648000L)), "requiredSize.memoryMiB", "64 TiB");
        refused(HostStatus.class, edit(Examples.hostStatus(),
                t -> ((ObjectNode) t.get("guests").get(1)).put("memoryMiB", -1)), "guests[1].memoryMiB", "non-negative");
        refused(ResizeCommand.class, edit(Examples.resizeCommand(),
                t -> ((ObjectNode) t.get("basedOn")).put("cpuUsage", 91)), "basedOn.cpuUsage", "not a percentage");
        refused(ResizeResult.class, edit(Examples.resizeResult(),
                t -> ((ObjectNode) t.get("after")).put("vcpus", 5000)), "after.vcpus", "vCPU count");
    }

    @Test
    void epochSecondsInAStringAreRefused() {
        refused(GuestMetrics.class, edit(Examples.guestMetrics(), t -> t.put("sampledAt", "1764169200")),
                "sampledAt", "ISO-8601");
        refused(GuestMetrics.class, edit(Examples.guestMetrics(), t -> t.put("sampledAt", "1764169200.5")),
                "sampledAt", "ISO-8601");
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> t.put("deadline", "1764169230000")),
                "deadline", "ISO-8601");
    }

    @Test
    void contentAfterTheObjectIsRefused() {
        String one = new String(EventCodec.encode(Examples.guestMetrics()), StandardCharsets.UTF_8);
        refused(GuestMetrics.class, utf8(one + "garbage"), null, "not valid JSON");
        refused(GuestMetrics.class, utf8(one + one), null, "not valid JSON");
    }

    @Test
    void idsMustBeJsonStrings() {
        refused(GuestMetrics.class, edit(Examples.guestMetrics(), t -> t.put("guestId", 123)), "guestId", "coerce");
        refused(GuestMetrics.class, edit(Examples.guestMetrics(), t -> t.put("hostId", true)), "hostId", "coerce");
    }

    @Test
    void createRefusesAMissingKey() {
        for (String key : new String[] {null, "", " "}) {
            assertThat(invalid(() -> EventRecords.create(key, Examples.guestMetrics(), "agent")).field()).isEqualTo("key");
        }
    }

    @Test
    void keyMustBeTheAggregateId() {
        assertThat(invalid(() -> EventRecords.create("db-02", Examples.guestPolicy(), "inventory")).field()).isEqualTo("key");
        var sent = EventRecords.create("xmpp-01", Examples.guestPolicy(), "inventory");
        var wrong = Json.consumed(sent.topic(), "db-02", sent.value(), sent.headers());
        assertThat(invalid(() -> EventRecords.read(wrong, GuestPolicy.class)).field()).isEqualTo("key");
    }

    @Test
    void managementAddressIsARequiredIpv6Literal() {
        assertThat(invalid(() -> new HostStatus("h", Examples.T0, HostState.ACTIVE, null, "d", Set.of(), 1, 1, 1, 1,
                List.of())).field()).isEqualTo("managementAddress");
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.put("managementAddress", "")), "managementAddress", "");
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.put("managementAddress", "[2001:db8::a]")),
                "managementAddress", "");
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.put("managementAddress", "agent.example.org")),
                "managementAddress", "");
    }

    @Test
    void nullCapabilityIsNamed() {
        refused(HostStatus.class, edit(Examples.hostStatus(), t -> t.putArray("capabilities").addNull()),
                "capabilities", "null");
        assertThat(invalid(() -> new HostStatus("h", Examples.T0, HostState.ACTIVE, "::1", "d", Set.of(), 1, 1, 1, 1,
                java.util.Arrays.asList((HostGuest) null))).field()).isEqualTo("guests");
    }

    @Test
    void capabilitiesEncodeInDeclarationOrder() {
        ObjectNode json = Json.tree(Examples.hostStatus());
        assertThat(json.get("capabilities").toString())
                .isEqualTo("[\"LIVE_MEMORY_GROW\",\"LIVE_MEMORY_SHRINK\",\"LIVE_VCPU\",\"LIVE_MIGRATION\"]");
    }

    @Test
    void resizeToZeroMemoryIsRefused() {
        refused(ResizeCommand.class, edit(Examples.resizeCommand(), t -> t.put("targetMemoryMiB", 0)),
                "targetMemoryMiB", "at least 1");
    }

    @Test
    void stepOutcomeNeedsANonBlankCommandId() {
        refused(MigrationEvent.class, edit(Examples.migrationEventMinimal(), t -> t.put("commandId", " ")),
                "commandId", "blank");
    }

    @Test
    void migrationDeadlineBeforeIssuedAtIsRefused() {
        refused(MigrationCommand.class, edit(Examples.migrationCommand(), t -> t.put("deadline", "2026-11-26T14:59:00Z")),
                "deadline", "before issuedAt");
    }
}
