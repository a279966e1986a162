package dev.churn.bench.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may make a lab's namespaces: root with CAP_SYS_ADMIN and CAP_NET_ADMIN. Root in a container without them passed a
 * check of the uid alone and failed inside 'ip netns add', exit 1 (QA, 2026-12-06). /proc/self/status lines as fixtures.
 */
class NetNamespacePermittedTest {

    private static List<String> status(String uid, String capEff) {
        return List.of("Name:\tjava", "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid, "CapEff:\t" + capEff);
    }

    @Test
    void rootNeedsBothCapabilities() {
        assertTrue(NetNamespace.permitted(status("0", "000001ffffffffff")), "root with every capability");
        // docker's default set: no CAP_SYS_ADMIN (bit 21) nor CAP_NET_ADMIN (bit 12)
        assertFalse(NetNamespace.permitted(status("0", "00000000a80425fb")), "root in a default container");
        assertFalse(NetNamespace.permitted(status("0", "000001ffffffefff")), "root without CAP_NET_ADMIN");
        assertFalse(NetNamespace.permitted(status("65534", "0000000000000000")), "nobody");
        assertTrue(NetNamespace.permitted(List.of("Uid:\t0\t0\t0\t0")), "a kernel that shows no CapEff: the uid decides");
    }
}
