// `netsep quarantine` for iptables: the quarantine hook chain's contents.
#include "backends/EmitUtil.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/iptables/IptablesBackend.hpp"

#include <fmt/format.h>

#include <iterator>

namespace netsep::backends {

namespace {

constexpr std::size_t kMaxComment = 255;

std::string comment(std::string_view text) {
    return "-m comment --comment \"" + emit::safeText(text, kMaxComment) + "\"";
}

// "a,b,c": iptables expands an address list into one rule per address.
std::string addressList(const std::vector<model::IpPrefix>& prefixes) {
    std::string out;
    for (const auto& p : normalizePrefixes(prefixes))
        out += (out.empty() ? "" : ",") + p.str();
    return out;
}

void checkNames(const std::vector<std::string>& ifs) {
    for (const auto& i : ifs)
        if (!emit::isPlainInterfaceName(i))
            throw std::invalid_argument("iptables backend: bad interface name in quarantine");
}

// The restore input of one family: empty the hook, then (quarantine) fill it.
std::string restoreBlock(const std::string& chain, const lower::LoweredQuarantine* q, bool v4) {
    std::string out = "*filter\n-F " + chain + "\n";
    if (q) {
        for (const auto& t : q->targets)
            for (const auto& a : q->access) {
                const auto& tp = v4 ? t.v4 : t.v6;
                const auto& ap = v4 ? a.v4 : a.v6;
                if (tp.empty() || ap.empty())
                    continue;
                std::string what = fmt::format("netsep quarantine: zone {} keeps access to {} {}",
                                               a.zone, t.group ? "group" : "zone", t.name);
                for (const auto& ai : a.interfaces)
                    for (const auto& ti : t.interfaces) {
                        fmt::format_to(std::back_inserter(out),
                                       "-A {} -i {} -o {} -s {} -d {} -m conntrack --ctdir "
                                       "ORIGINAL {} -j RETURN\n",
                                       chain, ai, ti, addressList(ap), addressList(tp),
                                       comment(what));
                        fmt::format_to(std::back_inserter(out),
                                       "-A {} -i {} -o {} -s {} -d {} -m conntrack --ctdir "
                                       "REPLY {} -j RETURN\n",
                                       chain, ti, ai, addressList(tp), addressList(ap),
                                       comment(what + " - replies"));
                    }
            }
        for (const auto& t : q->targets) {
            std::string what =
                fmt::format("netsep quarantine: {} {}", t.group ? "group" : "zone", t.name);
            if (!t.group)
                for (const auto& ti : t.interfaces) {
                    fmt::format_to(std::back_inserter(out), "-A {} -i {} {} -j DROP\n", chain, ti,
                                   comment(what + " - from its interfaces"));
                    fmt::format_to(std::back_inserter(out), "-A {} -o {} {} -j DROP\n", chain, ti,
                                   comment(what + " - to its interfaces"));
                }
            const auto& tp = v4 ? t.v4 : t.v6;
            if (tp.empty())
                continue;
            fmt::format_to(std::back_inserter(out), "-A {} -s {} {} -j DROP\n", chain,
                           addressList(tp), comment(what + " - from its addresses"));
            fmt::format_to(std::back_inserter(out), "-A {} -d {} {} -j DROP\n", chain,
                           addressList(tp), comment(what + " - to its addresses"));
        }
    }
    return out + "COMMIT\n";
}

} // namespace

std::optional<std::vector<Artifact>>
IptablesBackend::quarantineArtifacts(const lower::LoweredFirewall& fw,
                                     const lower::LoweredQuarantine& q) const {
    emit::checkInterfaceNames(fw, "iptables");
    for (const auto& t : q.targets)
        checkNames(t.interfaces);
    for (const auto& a : q.access)
        checkNames(a.interfaces);
    const std::string chain = quarantineChain(fw);
    auto script = [&](const char* path, bool fill) {
        std::string out = "#!/bin/sh\n";
        appendGeneratedHeader(out, "#", emit::safeText(fw.policyName, 200),
                              emit::safeText(fw.name, 200), fw.provenance,
                              fill ? "Quarantine: isolates the zones and groups below on this "
                                     "firewall."
                                   : "Quarantine release: back to exactly the compiled state.");
        fmt::format_to(std::back_inserter(out), "# Quarantines: {}\n",
                       emit::safeText(q.summary, 400));
        fmt::format_to(std::back_inserter(out),
                       "# Run with: netsep apply {} --confirm-within SECONDS (or sh {}).\n"
                       "# One atomic iptables-restore --noflush commit per family that touches\n"
                       "# only chain {}; it fails where the loaded config has no such chain.\n",
                       path, path, chain);
        out += "set -eu\n";
        for (bool v4 : {true, false}) {
            fmt::format_to(std::back_inserter(out), "{}-restore --noflush <<'NETSEP_EOF'\n",
                           v4 ? "iptables" : "ip6tables");
            out += restoreBlock(chain, fill ? &q : nullptr, v4);
            out += "NETSEP_EOF\n";
        }
        return Artifact{path, std::move(out)};
    };
    return std::vector<Artifact>{script("iptables-quarantine.sh", true),
                                 script("iptables-quarantine-release.sh", false)};
}

} // namespace netsep::backends
