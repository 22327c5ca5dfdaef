package dev.trespasser.frontend.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key of per-address limits against hostile {@code x-forwarded-for} headers: the client
 * controls everything left of what the trusted proxies appended, and nothing it writes may choose
 * its key.
 */
class ClientAddressTest {

    private static final String PEER = "10.1.2.3";

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress direct = new ClientAddress(0);
        assertEquals(PEER, direct.resolve(PEER, List.of("198.51.100.7")));
        Metadata headers = new Metadata();
        headers.put(ClientAddress.FORWARDED_FOR, "198.51.100.7");
        assertEquals("203.0.113.9", direct.of(new InetSocketAddress("203.0.113.9", 40000), headers));
    }

    @Test
    void oneTrustedProxyGivesTheAddressItAppended() {
        ClientAddress behindOne = new ClientAddress(1);
        assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of("198.51.100.7")));
        Metadata headers = new Metadata();
        headers.put(ClientAddress.FORWARDED_FOR, "198.51.100.7");
        assertEquals("198.51.100.7", behindOne.of(new InetSocketAddress(PEER, 40000), headers));
    }

    @Test
    void spoofedEntriesLeftOfTheTrustedOnesAreNeverRead() {
        // The client sent "x-forwarded-for: 1.1.1.1, 2.2.2.2"; the proxy appended the real peer.
        ClientAddress behindOne = new ClientAddress(1);
        assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of("1.1.1.1, 2.2.2.2, 198.51.100.7")));
        // The same spoof as a header of its own, before the proxy's header.
        assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of("1.1.1.1", "2.2.2.2,198.51.100.7")));
        // Two proxies (a CDN, then an ingress): the CDN's entry, not the client's.
        ClientAddress behindTwo = new ClientAddress(2);
        assertEquals("198.51.100.7", behindTwo.resolve(PEER, List.of("1.1.1.1, 198.51.100.7, 10.0.0.5")));
        // A client rotating spoofed entries stays one key.
        for (int i = 0; i < 20; i++) {
            assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of("203.0.113." + i + ", 198.51.100.7")));
        }
    }

    @Test
    void aChainShorterThanTheTrustedHopsFallsBackToTheTransportPeer() {
        ClientAddress behindTwo = new ClientAddress(2);
        // Only one entry: the call skipped a proxy, and that entry may be the client's own.
        assertEquals(PEER, behindTwo.resolve(PEER, List.of("1.1.1.1")));
        assertEquals(PEER, behindTwo.resolve(PEER, List.of()));
        Metadata none = new Metadata();
        assertEquals(PEER, new ClientAddress(1).of(new InetSocketAddress(PEER, 40000), none));
    }

    @Test
    void malformedEntriesFallBackToTheTransportPeerAndAreNeverLookedUp() {
        ClientAddress behindOne = new ClientAddress(1);
        List<String> hostile = List.of(
                "",
                " ",
                "unknown",
                "_hidden",
                "localhost",
                "example.com",
                "198.51.100.7:443",
                "[2001:db8::1]",
                "[2001:db8::1]:443",
                "2001:db8::1%eth0",
                "256.1.1.1",
                "1.2.3",
                "1.2.3.4.5",
                "01.2.3.4",
                "0x7f.0.0.1",
                "2130706433",
                "1.2.3.4 5.6.7.8",
                "::g",
                "1:2:3:4:5:6:7:8:9",
                "::ffff:1.2.3.999",
                "a".repeat(10_000),
                "1.2.3.4;DROP",
                "\u0661.2.3.4");
        for (String entry : hostile) {
            assertEquals(PEER, behindOne.resolve(PEER, List.of("198.51.100.7, " + entry)), "entry '" + entry + "'");
        }
        // Empty list members from stray commas are entries too: a trailing comma is not skipped.
        assertEquals(PEER, behindOne.resolve(PEER, List.of("198.51.100.7,")));
    }

    @Test
    void oneClientIsOneKeyWhateverTheSpelling() {
        ClientAddress behindOne = new ClientAddress(1);
        String full = behindOne.resolve(PEER, List.of("2001:db8:0:0:0:0:0:1"));
        assertEquals(full, behindOne.resolve(PEER, List.of("2001:DB8::1")));
        assertEquals(full, behindOne.resolve(PEER, List.of("2001:db8::0:1")));
        // An IPv4-mapped IPv6 address is that IPv4 client.
        assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of("::ffff:198.51.100.7")));
        assertEquals("198.51.100.7", behindOne.resolve(PEER, List.of(" 198.51.100.7 ")));
    }

    @Test
    void canonicalAcceptsOnlyIpLiterals() {
        assertEquals("0.0.0.0", ClientAddress.canonical("0.0.0.0"));
        assertEquals("255.255.255.255", ClientAddress.canonical("255.255.255.255"));
        assertNull(ClientAddress.canonical("localhost"));
        assertNull(ClientAddress.canonical("::1%lo"));
    }

    @Test
    void hopCountsOutsideTheBoundsAreRefusedByName() {
        for (int hops : new int[] {-1, ClientAddress.MAX_TRUSTED_HOPS + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClientAddress(hops));
            assertTrue(e.getMessage().contains("FRONTEND_TRUSTED_PROXY_HOPS"), e.getMessage());
        }
    }
}
