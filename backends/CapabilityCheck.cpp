#include "backends/CapabilityCheck.hpp"

#include "backends/InterfaceNames.hpp"

#include <set>
#include <string>

namespace netsep::backends {

void checkCapabilities(const lower::LoweredFirewall& fw, const model::Firewall& decl,
                       const Backend& backend, DiagnosticEngine& diags) {
    const Capabilities caps = backend.capabilities();
    std::set<std::pair<std::string, std::string>> reported; // (rule, feature): once each
    auto report = [&](const lower::LoweredRule& r, const std::string& feature,
                      const std::string& message, bool asNote = false) {
        if (!reported.insert({r.policyRule, feature}).second)
            return;
        std::string where =
            "backend '" + std::string(backend.name()) + "' on firewall '" + fw.name + "' ";
        if (asNote)
            diags.note("N501", r.span, where + message);
        else
            diags.error("E501", r.span, where + message);
    };
    checkInterfaceNames(decl, backend, diags);
    if (caps.maxKillSwitchGroups > 0 && fw.switchGroups.size() > caps.maxKillSwitchGroups)
        diags.error("E501", decl.span,
                    "backend '" + std::string(backend.name()) + "' on firewall '" + fw.name +
                        "' can carry at most " + std::to_string(caps.maxKillSwitchGroups) +
                        " kill-switch groups (one conntrack mark bit each); this firewall has " +
                        std::to_string(fw.switchGroups.size()));
    for (const auto& pair : fw.pairs) {
        for (const auto& r : pair.rules) {
            const auto& dst = fw.objects[r.dst];
            const auto& src = fw.objects[r.src];
            // Checked before the message is built: an identity rule recurs
            // in many zone pairs and is reported once.
            if (!r.identity.empty() && !caps.identity &&
                !reported.count({r.policyRule, "identity"})) {
                if (decl.identityEnforcedBy)
                    report(r, "identity",
                           "does not enforce identity '" + r.identity + "' of rule '" +
                               r.policyRule + "'; '" + *decl.identityEnforcedBy +
                               "' enforces it (identity-enforced-by)",
                           true);
                else
                    report(r, "identity",
                           "cannot enforce identity '" + r.identity + "' of rule '" + r.policyRule +
                               "'; add 'identity-enforced-by NAME' to the firewall if another "
                               "component enforces it");
            }
            bool needsFqdn = (!dst.fqdns.empty() && dst.v4.empty() && dst.v6.empty()) ||
                             (!src.fqdns.empty() && src.v4.empty() && src.v6.empty());
            if (needsFqdn && !caps.fqdn)
                report(r, "fqdn",
                       "cannot match FQDNs and '" + dst.name +
                           "' has no networks; declare its networks");
            if (r.v6 && !caps.ipv6)
                report(r, "ipv6", "cannot express IPv6 rules (rule '" + r.policyRule + "')");
            bool range = false;
            for (const auto& p : r.match.ports)
                range = range || p.lo != p.hi;
            if (range && !caps.portRanges)
                report(r, "ranges", "cannot express port ranges (rule '" + r.policyRule + "')");
            if (!r.match.icmpTypes.empty() && !caps.icmpTypes)
                report(r, "icmp", "cannot match ICMP types (rule '" + r.policyRule + "')");
            if (r.log && !caps.logging)
                report(r, "log", "cannot log (rule '" + r.policyRule + "')");
        }
    }
}

} // namespace netsep::backends
