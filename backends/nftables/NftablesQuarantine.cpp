// `netsep quarantine` for nftables: the quarantine hook chain's contents.
#include "backends/EmitUtil.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/nftables/NftablesBackend.hpp"

#include <fmt/format.h>

#include <iterator>

namespace netsep::backends {

namespace {

constexpr std::size_t kMaxComment = 128;

std::string quotedList(const std::vector<std::string>& ifs) {
    std::string out = "{ ";
    for (std::size_t i = 0; i < ifs.size(); ++i)
        out += fmt::format("{}\"{}\"", i ? ", " : "", ifs[i]);
    return out + " }";
}

std::string prefixSet(const std::vector<model::IpPrefix>& prefixes) {
    std::string out = "{ ";
    auto norm = normalizePrefixes(prefixes);
    for (std::size_t i = 0; i < norm.size(); ++i)
        out += (i ? ", " : "") + norm[i].str();
    return out + " }";
}

std::string comment(std::string_view text) {
    return fmt::format("comment \"{}\"", emit::safeText(text, kMaxComment));
}

void header(std::string& out, const lower::LoweredFirewall& fw, std::string_view what,
            const lower::LoweredQuarantine& q, std::string_view file) {
    out += "#!/usr/sbin/nft -f\n";
    appendGeneratedHeader(out, "#", emit::safeText(fw.policyName, 200),
                          emit::safeText(fw.name, 200), fw.provenance, what);
    fmt::format_to(std::back_inserter(out), "# Quarantines: {}\n", emit::safeText(q.summary, 400));
    fmt::format_to(std::back_inserter(out),
                   "# Load with: netsep apply {} --confirm-within SECONDS (or nft -f {}).\n"
                   "# One transaction that touches only chain {} of table inet {};\n"
                   "# it fails, changing nothing, where the loaded config has no such chain.\n",
                   file, file, NftablesBackend::quarantineChain(), NftablesBackend::tableName(fw));
}

} // namespace

std::optional<std::vector<Artifact>>
NftablesBackend::quarantineArtifacts(const lower::LoweredFirewall& fw,
                                     const lower::LoweredQuarantine& q) const {
    emit::checkInterfaceNames(fw, "nftables");
    for (const auto& t : q.targets)
        for (const auto& i : t.interfaces)
            if (!emit::isPlainInterfaceName(i))
                throw std::invalid_argument("nftables backend: bad interface name in quarantine");
    for (const auto& a : q.access)
        for (const auto& i : a.interfaces)
            if (!emit::isPlainInterfaceName(i))
                throw std::invalid_argument("nftables backend: bad interface name in quarantine");
    const std::string table = tableName(fw);
    const std::string chain = quarantineChain();
    const std::string rule = fmt::format("add rule inet {} {} ", table, chain);
    const char* kFile = "nftables-quarantine.nft";
    const char* kRelease = "nftables-quarantine-release.nft";

    std::string on, off;
    header(on, fw, "Quarantine: isolates the zones and groups below on this firewall.", q, kFile);
    header(off, fw, "Quarantine release: back to exactly the compiled state.", q, kRelease);
    on += "\n";
    fmt::format_to(std::back_inserter(on), "flush chain inet {} {}\n", table, chain);
    fmt::format_to(std::back_inserter(off), "\nflush chain inet {} {}\n", table, chain);

    // Access first: the connections an access zone opens into a target, and
    // their replies, go on to the compiled policy (return), which decides.
    for (const auto& t : q.targets)
        for (const auto& a : q.access)
            for (bool v4 : {true, false}) {
                const auto& tp = v4 ? t.v4 : t.v6;
                const auto& ap = v4 ? a.v4 : a.v6;
                if (tp.empty() || ap.empty())
                    continue;
                const char* ip = v4 ? "ip" : "ip6";
                std::string what = fmt::format("netsep quarantine: zone {} keeps access to {} {}",
                                               a.zone, t.group ? "group" : "zone", t.name);
                fmt::format_to(std::back_inserter(on),
                               "{}iifname {} oifname {} {} saddr {} {} daddr {} ct direction "
                               "original counter return {}\n",
                               rule, quotedList(a.interfaces), quotedList(t.interfaces), ip,
                               prefixSet(ap), ip, prefixSet(tp), comment(what));
                fmt::format_to(std::back_inserter(on),
                               "{}iifname {} oifname {} {} saddr {} {} daddr {} ct direction "
                               "reply counter return {}\n",
                               rule, quotedList(t.interfaces), quotedList(a.interfaces), ip,
                               prefixSet(tp), ip, prefixSet(ap), comment(what + " - replies"));
            }
    // Then everything else in or out of a target, whatever its state.
    for (const auto& t : q.targets) {
        std::string what =
            fmt::format("netsep quarantine: {} {}", t.group ? "group" : "zone", t.name);
        if (!t.group) {
            fmt::format_to(std::back_inserter(on), "{}iifname {} counter drop {}\n", rule,
                           quotedList(t.interfaces), comment(what + " - from its interfaces"));
            fmt::format_to(std::back_inserter(on), "{}oifname {} counter drop {}\n", rule,
                           quotedList(t.interfaces), comment(what + " - to its interfaces"));
        }
        for (bool v4 : {true, false}) {
            const auto& tp = v4 ? t.v4 : t.v6;
            if (tp.empty())
                continue;
            const char* ip = v4 ? "ip" : "ip6";
            fmt::format_to(std::back_inserter(on), "{}{} saddr {} counter drop {}\n", rule, ip,
                           prefixSet(tp), comment(what + " - from its addresses"));
            fmt::format_to(std::back_inserter(on), "{}{} daddr {} counter drop {}\n", rule, ip,
                           prefixSet(tp), comment(what + " - to its addresses"));
        }
    }
    return std::vector<Artifact>{Artifact{kFile, std::move(on)},
                                 Artifact{kRelease, std::move(off)}};
}

} // namespace netsep::backends
