package dev.trespasser.director.assignments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DIRECTOR_HOST_TEMPLATE: placeholders, the dashed IPv4 form, and what is refused and why. */
class HostTemplateTest {

    private static final String NAME = "trespasser-match-x7k2p-9wq4d";

    @Test
    void theDefaultIsTheAddressAsAllocated() {
        HostTemplate template = HostTemplate.parse(HostTemplate.DEFAULT);
        assertEquals("10.1.2.3", template.hostFor("10.1.2.3", NAME));
        assertEquals("2001:db8::1", template.hostFor("2001:db8::1", NAME), "IPv6 passes through as is");
        assertEquals("node-7.example.com", template.hostFor("node-7.example.com", NAME), "so does a host name");
    }

    @Test
    void theDashedFormIsOneLabelUnderAWildcard() {
        HostTemplate template = HostTemplate.parse("{ip-dashed}.gs.example.com");
        assertEquals("10-1-2-3.gs.example.com", template.hostFor("10.1.2.3", NAME));
        assertEquals("255-255-255-0.gs.example.com", template.hostFor("255.255.255.0", NAME));
        assertEquals("0-0-0-0.gs.example.com", template.hostFor("0.0.0.0", NAME));
    }

    @Test
    void theNameAndLiteralsMayBeCombined() {
        assertEquals(
                NAME + ".game.example.com",
                HostTemplate.parse("{name}.game.example.com").hostFor("10.1.2.3", NAME));
        assertEquals(
                "gs-10-1-2-3.eu.example.com",
                HostTemplate.parse("gs-{ip-dashed}.eu.example.com").hostFor("10.1.2.3", NAME));
    }

    @Test
    void ipv6HasNoDashedFormAndSaysWhatToUse() {
        HostTemplate template = HostTemplate.parse("{ip-dashed}.gs.example.com");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> template.hostFor("2001:db8::1", NAME));
        assertTrue(e.getMessage().contains("is IPv6 (use {ip} or {name}"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> template.hostFor("node-7.example.com", NAME));
        assertTrue(e.getMessage().contains("{ip-dashed} needs an IPv4 address"), e.getMessage());
        // IPv6 inside a DNS name is not a host either.
        assertThrows(
                IllegalArgumentException.class,
                () -> HostTemplate.parse("{ip}.gs.example.com").hostFor("2001:db8::1", NAME));
    }

    @Test
    void unknownPlaceholdersAndImpossibleTemplatesAreRefusedAtStartUp() {
        for (String bad : List.of(
                "{ip_dashed}.gs.example.com",
                "{IP}",
                "{host}",
                "{ip",
                "{ip}}",
                "gs.example.com",
                "",
                " ",
                "{ip}:7777",
                "https://{ip}",
                "{ip}/path",
                "{ip} .example.com",
                "{name}..example.com",
                "-{ip-dashed}.example.com",
                "{ip-dashed}-.example.com",
                "{ip}.",
                "*.{ip-dashed}.example.com",
                "{ip-dashed}." + "a".repeat(64) + ".com",
                "{ip-dashed}" + ".abcdefgh".repeat(30),
                "{ip}.{ip}",
                "{ip-dashed}\n.example.com")) {
            assertThrows(IllegalArgumentException.class, () -> HostTemplate.parse(bad), "'" + bad + "'");
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HostTemplate.parse("{ip_dashed}.gs.example.com"));
        assertTrue(e.getMessage().contains("unknown placeholder {ip_dashed}"), e.getMessage());
    }

    @Test
    void hostileAddressesAndNamesFromTheApiNeverBecomeAHost() {
        HostTemplate ip = HostTemplate.parse("{ip}");
        HostTemplate dashed = HostTemplate.parse("{ip-dashed}.gs.example.com");
        HostTemplate name = HostTemplate.parse("{name}.gs.example.com");
        for (String address : List.of(
                "",
                "10.1.2.3/evil",
                "10.1.2.3:7777",
                "10.1.2.3\r\nX-Evil: 1",
                "evil.com#",
                "user@10.1.2.3",
                "10.1.2.300",
                "1.2.3",
                "[2001:db8::1]",
                "fe80::1%eth0",
                "::::",
                "a".repeat(300),
                "é.example.com")) {
            assertThrows(IllegalArgumentException.class, () -> ip.hostFor(address, NAME), address);
            assertThrows(IllegalArgumentException.class, () -> dashed.hostFor(address, NAME), address);
        }
        assertThrows(IllegalArgumentException.class, () -> ip.hostFor(null, NAME));
        for (String gameServer : List.of("", "gs/../x", "gs\u0000", "GS NAME", "-gs", "gs.", "a".repeat(64), "gs_1")) {
            assertThrows(IllegalArgumentException.class, () -> name.hostFor("10.1.2.3", gameServer), gameServer);
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ip.hostFor("10.1.2.3\r\nX-Evil: " + "x".repeat(200), NAME));
        assertFalse(e.getMessage().contains("\r"), "escaped for the log");
        assertTrue(e.getMessage().length() < 300, "cut for the log");
    }

    @Test
    void hostsComeOutInLowerCase() {
        assertEquals(
                "gs-1.example.com", HostTemplate.parse("{name}.Example.COM").hostFor("10.1.2.3", "GS-1"));
    }

    @Test
    void ipAndDnsChecks() {
        assertTrue(HostTemplate.isIpAddress("127.0.0.1"));
        assertTrue(HostTemplate.isIpAddress("::1"));
        assertFalse(HostTemplate.isIpAddress("localhost"));
        assertFalse(HostTemplate.isIpAddress("1:2:3:4:5:6:7:8:9"));
        assertTrue(HostTemplate.isDnsName("localhost"));
        assertTrue(HostTemplate.isDnsName("10-1-2-3.gs.example.com"));
        assertFalse(HostTemplate.isDnsName("10.1.2.3"), "digits and dots only read as an address");
    }
}
