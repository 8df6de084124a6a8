#include "backends/nftables/NftablesBackend.hpp"

#include "backends/EmitUtil.hpp"
#include "backends/common/GeneratedHeader.hpp"
#include "backends/common/KillSwitchMark.hpp"
#include "backends/nftables/NftAddressScope.hpp"
#include "lower/GlobalRules.hpp"
#include "lower/ServiceTwins.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace netsep::backends {

namespace {

using lower::Action;
using lower::LoweredFirewall;
using lower::LoweredRule;
using lower::ZonePair;
using model::Family;
using model::Proto;

// nft names may be up to 255 bytes; stay well below so lines stay readable.
constexpr std::size_t kMaxName = 120;
// nft comments hold at most 128 bytes.
constexpr std::size_t kMaxComment = 128;
// The kernel allows 127 bytes of log prefix; keep it short for syslog.
constexpr std::size_t kMaxLogPrefix = 63;
constexpr const char* kPairMap = "zone_pairs";
// The firewall's interfaces: traffic between two of them is netsep's.
constexpr const char* kInterfaceSet = "netsep_interfaces";
// Every address owned by a zone or SaaS endpoint other than the catch-all
// zone: the catch-all (usually `internet`) is `!= @declared_v4`.
constexpr const char* kDeclared4 = "declared_v4";
constexpr const char* kDeclared6 = "declared_v6";
// The protocols tcp and udp: a policy rule whose service names the same
// ports over both is one line, `meta l4proto @tcp_udp th dport ...`.
constexpr const char* kTcpUdp = "tcp_udp";
// (interface, address) pairs a packet may carry on entering or leaving
// (nft::AddressScope): anything else is dropped ahead of the zone pairs.
constexpr const char* kIngress4 = "ingress_v4";
constexpr const char* kIngress6 = "ingress_v6";
constexpr const char* kEgress4 = "egress_v4";
constexpr const char* kEgress6 = "egress_v6";
constexpr const char* kForward = "forward";
constexpr const char* kQuarantine = "quarantine";
// Accepts a connection while one of its kill-switch groups is on.
constexpr const char* kKillSwitch = "killswitch";

// Every identifier of one firewall's table, computed once so that `emit` and
// the kill-switch scripts agree on them.
struct Layout {
    std::string table;
    std::vector<std::string> set4, set6; // per object; empty = no set
    // What negated objects (the catch-all zone) leave out, one set per
    // family for the whole table; empty = no negated object in the family.
    std::string declared4, declared6;
    bool tcpUdp = false;                // some line matches both (kTcpUdp)
    std::vector<std::string> pairChain; // per zone pair
    // Per zone pair split on the catch-all side: the chain for declared
    // addresses on that side; empty when no rule can match one there.
    std::vector<std::string> declaredChain;
    std::optional<nft::AddressScope> scope;
    std::vector<std::string> switchChain; // per fw.switchGroups: the group's on/off rule
    std::string provenanceChain;          // empty chain named after the policy digest
    // Per zone pair: (kill-switch group, chain), in order of first rule.
    std::vector<std::vector<std::pair<std::string, std::string>>> ksChains;
    // Port and ICMP-type lists of more than one element, as named sets: an
    // anonymous set per rule ("tcp dport { 80, 443 }") makes the kernel scan
    // the whole transaction for every such rule when it binds the set, which
    // turned loading 100,000 rules into minutes.
    struct ServiceSet {
        std::string name;
        const char* type; // inet_service, icmp_type, icmpv6_type
        bool interval = false;
        std::vector<std::string> elements;
    };
    std::vector<ServiceSet> serviceSets;
    std::map<std::string, std::size_t> serviceSetIndex; // "proto elements" -> serviceSets
    const ServiceSet* serviceSet(const std::string& key) const {
        auto it = serviceSetIndex.find(key);
        return it == serviceSetIndex.end() ? nullptr : &serviceSets[it->second];
    }
};

// The elements a match compares its protocol field with (ports or ICMP
// types, as nft spells them), and whether any is a range. Empty for `any`
// and for a whole protocol.
struct L4Elements {
    const char* field = nullptr; // "tcp dport", "icmp type", ...
    const char* setType = nullptr;
    std::vector<std::string> items;
    bool interval = false;
    std::string key() const { return fmt::format("{} {}", field, fmt::join(items, ",")); }
};

const char* icmpName(int type);
const char* icmpv6Name(int type);

L4Elements l4Elements(const lower::Match& m) {
    L4Elements e;
    switch (m.proto) {
    case Proto::Any:
        break;
    case Proto::Tcp:
    case Proto::Udp:
        e.field = m.proto == Proto::Tcp ? "tcp dport" : "udp dport";
        e.setType = "inet_service";
        for (const auto& r : emit::normalizePorts(m.ports)) {
            e.interval = e.interval || r.lo != r.hi;
            e.items.push_back(r.lo == r.hi ? fmt::format("{}", r.lo)
                                           : fmt::format("{}-{}", r.lo, r.hi));
        }
        break;
    case Proto::Icmp:
    case Proto::Icmpv6: {
        const bool v6 = m.proto == Proto::Icmpv6;
        e.field = v6 ? "icmpv6 type" : "icmp type";
        e.setType = v6 ? "icmpv6_type" : "icmp_type";
        std::vector<int> types = m.icmpTypes;
        std::sort(types.begin(), types.end());
        types.erase(std::unique(types.begin(), types.end()), types.end());
        for (int t : types) {
            if (t < 0 || t > 255)
                throw std::invalid_argument(
                    fmt::format("nftables backend: ICMP type {} out of range 0-255", t));
            const char* n = v6 ? icmpv6Name(t) : icmpName(t);
            e.items.push_back(n ? std::string(n) : fmt::format("{}", t));
        }
        break;
    }
    }
    return e;
}

Layout layoutOf(const LoweredFirewall& fw) {
    Layout l;
    l.table = emit::identifier("netsep_" + fw.name, kMaxName);

    emit::NameTable sets(kMaxName);
    sets.reserve(kPairMap);
    sets.reserve(kInterfaceSet);
    sets.reserve(kDeclared4);
    sets.reserve(kDeclared6);
    sets.reserve(kTcpUdp);
    for (const char* s : {kIngress4, kIngress6, kEgress4, kEgress6})
        sets.reserve(s);
    l.scope.emplace(fw);
    if (!fw.declaredV4.empty())
        l.declared4 = kDeclared4;
    if (!fw.declaredV6.empty())
        l.declared6 = kDeclared6;
    for (const auto& o : fw.objects) {
        l.set4.push_back(o.v4.empty() ? std::string() : sets.unique(o.name + "_v4"));
        l.set6.push_back(o.v6.empty() ? std::string() : sets.unique(o.name + "_v6"));
    }

    for (const auto& p : fw.pairs)
        for (std::size_t i = 0; i + 1 < p.rules.size(); ++i)
            l.tcpUdp = l.tcpUdp || lower::tcpUdpTwins(p.rules[i], p.rules[i + 1]);
    for (const auto& p : fw.pairs)
        for (const auto& r : p.rules) {
            L4Elements e = l4Elements(r.match);
            if (e.items.size() < 2)
                continue;
            std::string key = e.key();
            if (l.serviceSetIndex.count(key))
                continue;
            // "svc_tcp_80_443": the field's first word is the protocol.
            std::string_view proto(e.field);
            proto = proto.substr(0, proto.find(' '));
            std::string raw = fmt::format("svc_{}_{}", proto, fmt::join(e.items, "_"));
            l.serviceSetIndex.emplace(std::move(key), l.serviceSets.size());
            l.serviceSets.push_back({sets.unique(raw), e.setType, e.interval, std::move(e.items)});
        }

    emit::NameTable chains(kMaxName);
    chains.reserve(kForward);
    chains.reserve(kQuarantine);
    chains.reserve(kKillSwitch);
    l.provenanceChain = NftablesBackend::provenanceChain(fw);
    if (!l.provenanceChain.empty())
        chains.reserve(l.provenanceChain);
    for (const auto& g : fw.switchGroups)
        l.switchChain.push_back(chains.unique("switch_" + g));
    for (const auto& p : fw.pairs)
        l.pairChain.push_back(chains.unique(fmt::format("z_{}__{}", p.fromZone, p.toZone)));
    for (std::size_t i = 0; i < fw.pairs.size(); ++i) {
        const auto& p = fw.pairs[i];
        bool used = false;
        if (l.scope->split(i) != nft::Side::None)
            for (const auto& r : p.rules)
                used = used || (!r.global && l.scope->matchesIn(i, r, nft::Variant::Declared));
        l.declaredChain.push_back(
            used ? chains.unique(fmt::format("zd_{}__{}", p.fromZone, p.toZone)) : std::string());
    }
    for (const auto& p : fw.pairs) {
        auto& ks = l.ksChains.emplace_back();
        for (const auto& r : p.rules) {
            if (r.killSwitch.empty())
                continue;
            bool seen = std::any_of(ks.begin(), ks.end(),
                                    [&](const auto& e) { return e.first == r.killSwitch; });
            if (!seen)
                ks.emplace_back(r.killSwitch,
                                chains.unique(fmt::format("ks_{}__{}__{}", r.killSwitch, p.fromZone,
                                                          p.toZone)));
        }
    }
    return l;
}

const char* icmpName(int type) {
    switch (type) {
    case 0:
        return "echo-reply";
    case 3:
        return "destination-unreachable";
    case 4:
        return "source-quench";
    case 5:
        return "redirect";
    case 8:
        return "echo-request";
    case 9:
        return "router-advertisement";
    case 10:
        return "router-solicitation";
    case 11:
        return "time-exceeded";
    case 12:
        return "parameter-problem";
    case 13:
        return "timestamp-request";
    case 14:
        return "timestamp-reply";
    case 15:
        return "info-request";
    case 16:
        return "info-reply";
    case 17:
        return "address-mask-request";
    case 18:
        return "address-mask-reply";
    default:
        return nullptr;
    }
}

const char* icmpv6Name(int type) {
    switch (type) {
    case 1:
        return "destination-unreachable";
    case 2:
        return "packet-too-big";
    case 3:
        return "time-exceeded";
    case 4:
        return "parameter-problem";
    case 128:
        return "echo-request";
    case 129:
        return "echo-reply";
    case 130:
        return "mld-listener-query";
    case 131:
        return "mld-listener-report";
    case 132:
        return "mld-listener-done";
    case 133:
        return "nd-router-solicit";
    case 134:
        return "nd-router-advert";
    case 135:
        return "nd-neighbor-solicit";
    case 136:
        return "nd-neighbor-advert";
    case 137:
        return "nd-redirect";
    case 138:
        return "router-renumbering";
    case 141:
        return "ind-neighbor-solicit";
    case 142:
        return "ind-neighbor-advert";
    case 143:
        return "mld2-listener-report";
    default:
        return nullptr;
    }
}

// The layer-4 part of a rule; empty for Proto::Any. `tcpAndUdp`: the tcp
// match `m` stands for its udp twin too (tcpUdpTwins).
std::string l4Match(const lower::Match& m, const Layout& l, bool tcpAndUdp = false) {
    L4Elements e = l4Elements(m);
    if (!e.field)
        return {};
    if (tcpAndUdp) {
        std::string both = fmt::format("meta l4proto @{}", kTcpUdp);
        if (e.items.empty())
            return both;
        if (e.items.size() == 1)
            return fmt::format("{} th dport {}", both, e.items.front());
        const Layout::ServiceSet* set = l.serviceSet(e.key());
        if (!set)
            throw std::logic_error("nftables backend: a service set missing from the layout");
        return fmt::format("{} th dport @{}", both, set->name);
    }
    if (e.items.empty()) {
        switch (m.proto) {
        case Proto::Tcp:
            return "meta l4proto tcp";
        case Proto::Udp:
            return "meta l4proto udp";
        case Proto::Icmp:
            return "meta l4proto icmp";
        default:
            return "meta l4proto ipv6-icmp";
        }
    }
    if (e.items.size() == 1)
        return fmt::format("{} {}", e.field, e.items.front());
    const Layout::ServiceSet* set = l.serviceSet(e.key());
    if (!set)
        throw std::logic_error("nftables backend: a service set missing from the layout");
    return fmt::format("{} @{}", e.field, set->name);
}

// Where a rule is printed: which variant of which pair chain, or a
// kill-switch chain (`full`: every address test written out, since both
// variants of a split pair jump there).
struct Placement {
    std::size_t pair = 0;
    nft::Variant variant = nft::Variant::All;
    bool full = true;
};

// One line for both families when no address test is left in either
// (nft::AddressScope), else one line per family the rule applies to; no
// line when it matches nothing here.
void appendRule(std::string& out, const LoweredFirewall& fw, const Layout& l, const LoweredRule& r,
                bool tcpAndUdp, const Placement& at) {
    if (r.src >= fw.objects.size() || r.dst >= fw.objects.size())
        throw std::out_of_range(
            fmt::format("nftables backend: rule {} names a missing address object",
                        emit::safeText(r.policyRule, 64)));
    // Per family: whether the rule applies, and its address tests.
    struct FamilyPart {
        bool applies = false;
        std::string addresses;
    };
    std::array<FamilyPart, 2> parts;
    for (Family fam : {Family::V4, Family::V6}) {
        bool v4 = fam == Family::V4;
        if (!(v4 ? r.v4 : r.v6) || !protoFitsFamily(r.match.proto, fam))
            continue;
        if (!at.full && !l.scope->inVariant(at.pair, r, at.variant, fam))
            continue;
        // "@set", "!= @declared_v4" for the catch-all, or empty: no address
        // of this family, so the rule matches nothing here.
        auto addresses = [&](uint32_t object) -> std::string {
            if (fw.objects[object].negated(fam)) {
                const std::string& set = v4 ? l.declared4 : l.declared6;
                if (set.empty())
                    throw std::logic_error("nftables backend: a negated object without its set");
                return "!= @" + set;
            }
            const std::string& set = v4 ? l.set4.at(object) : l.set6.at(object);
            return set.empty() ? set : "@" + set;
        };
        const std::string s = addresses(r.src);
        const std::string d = addresses(r.dst);
        if (s.empty() || d.empty())
            continue; // an object without addresses of this family matches nothing
        auto test = [&](uint32_t object, nft::Side side) {
            return !at.full && l.scope->implied(at.pair, object, side, at.variant, fam);
        };
        const char* ipx = v4 ? "ip" : "ip6";
        std::vector<std::string> words;
        if (!test(r.src, nft::Side::Source))
            words.push_back(fmt::format("{} saddr {}", ipx, s));
        if (!test(r.dst, nft::Side::Destination))
            words.push_back(fmt::format("{} daddr {}", ipx, d));
        parts[v4 ? 0 : 1] = {true, fmt::format("{}", fmt::join(words, " "))};
    }
    const bool oneLine = parts[0].applies && parts[1].applies && parts[0].addresses.empty() &&
                         parts[1].addresses.empty();

    std::string l4 = l4Match(r.match, l, tcpAndUdp);
    std::string comment = emit::ruleComment(r, kMaxComment);
    const bool exception = !r.killSwitch.empty() && r.action == Action::Accept;
    const std::string bit = exception ? killSwitchBitText(fw, r.killSwitch) : std::string();
    std::string rest;
    if (!l4.empty())
        rest += " " + l4;
    if (r.action == Action::Accept)
        rest += " ct state new";
    // An exception marks the connection with its group's bit and goes on
    // (the pair chain then asks the kill switch); only the group's first
    // matching rule counts and logs.
    if (exception)
        rest += fmt::format(" ct mark & {} == 0x00000000", bit);
    rest += " counter";
    if (r.log)
        rest += fmt::format(" log prefix \"{}\"", emit::logPrefix(r, kMaxLogPrefix));
    if (exception)
        rest += fmt::format(" ct mark set ct mark | {}", bit);
    else
        rest += r.action == Action::Accept ? " accept" : " drop";
    rest += fmt::format(" comment \"{}\"\n", comment);
    if (oneLine) {
        out += "\t\t" + rest.substr(1);
        return;
    }
    for (std::size_t fi = 0; fi < 2; ++fi) {
        if (!parts[fi].applies)
            continue;
        // Without an address test the line must still be one family's.
        const std::string& a = parts[fi].addresses;
        out += "\t\t" +
               (a.empty() ? std::string(fi == 0 ? "meta nfproto ipv4" : "meta nfproto ipv6") : a) +
               rest;
    }
}

std::string txt(std::string_view s) {
    return emit::safeText(s, 200);
}

void appendGlobalRule(std::string& out, const Layout& l, const LoweredRule& r) {
    std::string line = "\t\t";
    std::string l4 = l4Match(r.match, l);
    if (!l4.empty())
        line += l4 + " ";
    line += "counter";
    if (r.log)
        line += fmt::format(" log prefix \"{}\"", emit::logPrefix(r, kMaxLogPrefix));
    line += fmt::format(" drop comment \"{}\"\n", emit::ruleComment(r, kMaxComment));
    out += line;
}

void appendHeader(std::string& out, const LoweredFirewall& fw, std::string_view what) {
    out += "#!/usr/sbin/nft -f\n";
    appendGeneratedHeader(out, "#", txt(fw.policyName), txt(fw.name), fw.provenance, what);
}

} // namespace

Capabilities NftablesBackend::capabilities() const {
    Capabilities c;
    c.identity = false;
    c.fqdn = false;
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    // Same rule as emit::isPlainInterfaceName, so the shared check reports
    // a bad name as a diagnostic before emit() would refuse it.
    c.maxInterfaceName = 15;
    c.interfaceNameChars = "_.-";
    c.maxKillSwitchGroups = kMaxKillSwitchGroups;
    c.killSwitchByState = true;
    return c;
}

std::string NftablesBackend::tableName(const LoweredFirewall& fw) {
    return layoutOf(fw).table;
}

std::string NftablesBackend::quarantineChain() {
    return kQuarantine;
}

std::string NftablesBackend::provenanceChain(const LoweredFirewall& fw) {
    const std::string& d = fw.provenance.policyDigest;
    constexpr std::string_view kSha = "sha256:";
    if (d.size() != kSha.size() + 64 || d.compare(0, kSha.size(), kSha) != 0 ||
        !std::all_of(d.begin() + kSha.size(), d.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        return {};
    return "provenance_sha256_" + d.substr(kSha.size());
}

std::string NftablesBackend::provenanceComment(const LoweredFirewall& fw) {
    // At most 128 bytes: the digest, version and date first, so that only a
    // long policy or firewall name is clipped.
    const auto& p = fw.provenance;
    std::string text = "netsep";
    if (!p.policyDigest.empty())
        text += " digest " + p.policyDigest;
    if (!p.netsepVersion.empty())
        text += " netsep " + p.netsepVersion;
    if (!p.asOf.empty())
        text += " as of " + p.asOf;
    text += fmt::format(" policy {} firewall {}", fw.policyName, fw.name);
    return emit::safeText(text, kMaxComment);
}

std::vector<std::string> NftablesBackend::killSwitchChains(const LoweredFirewall& fw,
                                                           const std::string& group) {
    Layout l = layoutOf(fw);
    std::vector<std::string> out;
    for (const auto& ks : l.ksChains)
        for (const auto& [g, chain] : ks)
            if (g == group)
                out.push_back(chain);
    return out;
}

namespace {

std::size_t switchIndex(const LoweredFirewall& fw, const std::string& group) {
    auto it = std::lower_bound(fw.switchGroups.begin(), fw.switchGroups.end(), group);
    if (it == fw.switchGroups.end() || *it != group)
        throw std::invalid_argument("nftables backend: unknown kill-switch group");
    return static_cast<std::size_t>(it - fw.switchGroups.begin());
}

// The rule of a switched-on group's switch chain.
std::string switchOnRule(const LoweredFirewall& fw, const std::string& group) {
    const std::string bit = killSwitchBitText(fw, group);
    return fmt::format("ct mark & {} == {} counter accept comment \"{}\"", bit, bit,
                       emit::safeText("netsep kill switch " + group + " on", kMaxComment));
}

} // namespace

std::string NftablesBackend::switchChain(const LoweredFirewall& fw, const std::string& group) {
    return layoutOf(fw).switchChain[switchIndex(fw, group)];
}

std::vector<Artifact> NftablesBackend::emit(const LoweredFirewall& fw) const {
    emit::checkInterfaceNames(fw, "nftables");
    const Layout l = layoutOf(fw);
    std::string out;
    appendHeader(out, fw, "Load with: nft -f nftables.nft (one transaction, atomic)");
    fmt::format_to(std::back_inserter(out),
                   "# Replaces table inet {} and nothing else. Only routed traffic is\n"
                   "# policed (hook forward); the host's own input/output is untouched.\n",
                   l.table);
    out += fw.forwardPolicyDrop
               ? "# forward-policy drop: routed traffic that netsep does not accept is dropped.\n\n"
               : "# Routed traffic that is not between two of the firewall's interfaces is\n"
                 "# left to the host's other rules.\n\n";
    // Create-if-absent, delete, define: all one transaction, so the old
    // ruleset stays in force until the new one is complete.
    fmt::format_to(std::back_inserter(out), "table inet {} {{}}\n", l.table);
    fmt::format_to(std::back_inserter(out), "delete table inet {}\n\n", l.table);
    fmt::format_to(std::back_inserter(out), "table inet {} {{\n", l.table);
    fmt::format_to(std::back_inserter(out), "\tcomment \"{}\"\n\n", provenanceComment(fw));

    // Address objects: one interval set per object and family.
    for (std::size_t i = 0; i < fw.objects.size(); ++i) {
        const auto& o = fw.objects[i];
        for (Family fam : {Family::V4, Family::V6}) {
            bool v4 = fam == Family::V4;
            const std::string& set = v4 ? l.set4[i] : l.set6[i];
            if (o.negated(fam))
                fmt::format_to(std::back_inserter(out),
                               "\t# address object {}: every {} address outside @{}\n\n",
                               txt(o.name), v4 ? "IPv4" : "IPv6", v4 ? l.declared4 : l.declared6);
            if (set.empty())
                continue;
            fmt::format_to(std::back_inserter(out), "\t# address object {}\n", txt(o.name));
            fmt::format_to(std::back_inserter(out), "\tset {} {{\n", set);
            fmt::format_to(std::back_inserter(out), "\t\ttype {}\n",
                           v4 ? "ipv4_addr" : "ipv6_addr");
            out += "\t\tflags interval\n";
            out += "\t\telements = {\n";
            for (const auto& p : normalizePrefixes(v4 ? o.v4 : o.v6))
                fmt::format_to(std::back_inserter(out), "\t\t\t{},\n", p.str());
            out += "\t\t}\n";
            out += "\t}\n\n";
        }
    }

    // The catch-all zone's complement, once for every rule that uses it.
    for (Family fam : {Family::V4, Family::V6}) {
        bool v4 = fam == Family::V4;
        const std::string& set = v4 ? l.declared4 : l.declared6;
        if (set.empty())
            continue;
        out += "\t# every address a zone or SaaS endpoint owns, except the catch-all zone:\n"
               "\t# the catch-all (address objects marked negated) is everything else\n";
        fmt::format_to(std::back_inserter(out), "\tset {} {{\n", set);
        fmt::format_to(std::back_inserter(out), "\t\ttype {}\n", v4 ? "ipv4_addr" : "ipv6_addr");
        out += "\t\tflags interval\n";
        out += "\t\telements = {\n";
        for (const auto& p : normalizePrefixes(v4 ? fw.declaredV4 : fw.declaredV6))
            fmt::format_to(std::back_inserter(out), "\t\t\t{},\n", p.str());
        out += "\t\t}\n";
        out += "\t}\n\n";
    }

    if (l.tcpUdp)
        fmt::format_to(std::back_inserter(out),
                       "\tset {} {{\n\t\ttype inet_proto\n\t\telements = {{ tcp, udp }}\n\t}}\n\n",
                       kTcpUdp);
    for (const auto& ss : l.serviceSets) {
        fmt::format_to(std::back_inserter(out), "\tset {} {{\n", ss.name);
        fmt::format_to(std::back_inserter(out), "\t\ttype {}\n", ss.type);
        if (ss.interval)
            out += "\t\tflags interval\n";
        fmt::format_to(std::back_inserter(out), "\t\telements = {{ {} }}\n",
                       fmt::join(ss.elements, ", "));
        out += "\t}\n\n";
    }

    // What may enter and leave through each interface (nft::AddressScope).
    if (!fw.interfaces.empty()) {
        out += "\t# (interface, address): what the zones of each interface own, and any\n"
               "\t# address a rule tests there; other packets are dropped ahead of the\n"
               "\t# zone pairs (spoofed, or matching no rule of their pair anyway)\n";
        for (auto [set, byIf, fam] : {std::tuple{kIngress4, &l.scope->ingress(), Family::V4},
                                      std::tuple{kIngress6, &l.scope->ingress(), Family::V6},
                                      std::tuple{kEgress4, &l.scope->egress(), Family::V4},
                                      std::tuple{kEgress6, &l.scope->egress(), Family::V6}}) {
            const bool v4 = fam == Family::V4;
            fmt::format_to(std::back_inserter(out), "\tset {} {{\n", set);
            fmt::format_to(std::back_inserter(out), "\t\ttype ifname . {}\n",
                           v4 ? "ipv4_addr" : "ipv6_addr");
            out += "\t\tflags interval\n";
            std::string elements;
            for (const auto& [name, scope] : *byIf)
                for (const auto& p : scope[v4 ? 0 : 1].prefixes(fam))
                    fmt::format_to(std::back_inserter(elements), "\t\t\t\"{}\" . {},\n", name,
                                   p.str());
            if (!elements.empty())
                out += "\t\telements = {\n" + elements + "\t\t}\n";
            out += "\t}\n\n";
        }
    }

    // Interface pair -> zone pair chain.
    std::set<std::pair<std::string, std::string>> seenKeys;
    out += "\t# (input interface, output interface) -> zone pair chain\n";
    fmt::format_to(std::back_inserter(out), "\tmap {} {{\n", kPairMap);
    out += "\t\ttype ifname . ifname : verdict\n";
    std::string elements;
    for (std::size_t i = 0; i < fw.pairs.size(); ++i) {
        const auto& p = fw.pairs[i];
        for (const auto& in : p.inInterfaces)
            for (const auto& outIf : p.outInterfaces) {
                if (!seenKeys.emplace(in, outIf).second)
                    throw std::invalid_argument(fmt::format(
                        "nftables backend: firewall '{}': interface pair {} -> {} belongs to "
                        "two zone pairs",
                        txt(fw.name), in, outIf));
                elements +=
                    fmt::format("\t\t\t\"{}\" . \"{}\" : jump {},\n", in, outIf, l.pairChain[i]);
            }
    }
    if (!elements.empty())
        out += "\t\telements = {\n" + elements + "\t\t}\n";
    out += "\t}\n\n";

    if (!fw.forwardPolicyDrop && !fw.interfaces.empty()) {
        out += "\t# the firewall's interfaces: traffic between two of them is netsep's\n";
        fmt::format_to(std::back_inserter(out), "\tset {} {{\n\t\ttype ifname\n", kInterfaceSet);
        std::vector<std::string> names;
        for (const auto& i : fw.interfaces)
            if (std::find(names.begin(), names.end(), i.name) == names.end())
                names.push_back(fmt::format("\"{}\"", i.name));
        fmt::format_to(std::back_inserter(out), "\t\telements = {{ {} }}\n\t}}\n\n",
                       fmt::join(names, ", "));
    }

    if (!l.provenanceChain.empty()) {
        out += "\t# Named after the policy digest: the kill-switch files of this compile\n"
               "\t# refer to it, so they fail (changing nothing) on any other.\n";
        fmt::format_to(std::back_inserter(out), "\tchain {} {{\n\t}}\n\n", l.provenanceChain);
    }

    fmt::format_to(std::back_inserter(out),
                   "\t# quarantine hook: empty unless `netsep quarantine` fills it\n"
                   "\tchain {} {{\n\t}}\n\n",
                   kQuarantine);

    fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", kForward);
    fmt::format_to(std::back_inserter(out),
                   "\t\ttype filter hook forward priority filter; policy {};\n",
                   fw.forwardPolicyDrop ? "drop" : "accept");
    fmt::format_to(std::back_inserter(out), "\t\tjump {}\n", kQuarantine);
    if (!fw.forwardPolicyDrop) {
        // Accept here only means "not netsep's to judge": the host's other
        // base chains on this hook still see the packet.
        const char* other = "comment \"not between two netsep interfaces: left to the host\"";
        if (fw.interfaces.empty()) {
            fmt::format_to(std::back_inserter(out), "\t\taccept {}\n", other);
        } else {
            fmt::format_to(std::back_inserter(out), "\t\tiifname != @{} accept {}\n", kInterfaceSet,
                           other);
            fmt::format_to(std::back_inserter(out), "\t\toifname != @{} accept {}\n", kInterfaceSet,
                           other);
        }
    }
    // Before the established accept: an open connection of kill-switch
    // groups passes only while one of its groups is on.
    if (!fw.switchGroups.empty())
        fmt::format_to(std::back_inserter(out),
                       "\t\tct state established,related ct mark & {} != 0x00000000 jump {}\n",
                       killSwitchMaskText(), kKillSwitch);
    out += "\t\tct state established,related accept\n";
    out += "\t\tct state invalid drop\n";
    // Denies from any to any: once, for every zone pair (LoweredRule::global).
    for (const LoweredRule* r : lower::globalRules(fw))
        appendGlobalRule(out, l, *r);
    if (!fw.interfaces.empty()) {
        const char* why =
            "comment \"netsep default deny: address outside the zones of its interface\"";
        fmt::format_to(std::back_inserter(out), "\t\tiifname . ip saddr != @{} counter drop {}\n",
                       kIngress4, why);
        fmt::format_to(std::back_inserter(out), "\t\tiifname . ip6 saddr != @{} counter drop {}\n",
                       kIngress6, why);
        fmt::format_to(std::back_inserter(out), "\t\toifname . ip daddr != @{} counter drop {}\n",
                       kEgress4, why);
        fmt::format_to(std::back_inserter(out), "\t\toifname . ip6 daddr != @{} counter drop {}\n",
                       kEgress6, why);
    }
    fmt::format_to(std::back_inserter(out), "\t\tiifname . oifname vmap @{}\n", kPairMap);
    out += "\t\tcounter drop comment \"netsep default deny: no zone pair\"\n";
    out += "\t}\n";

    if (!fw.switchGroups.empty()) {
        out += "\n\t# kill switch: accepts a connection while one of its groups is on\n";
        fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", kKillSwitch);
        for (std::size_t g = 0; g < fw.switchGroups.size(); ++g)
            fmt::format_to(std::back_inserter(out), "\t\tjump {}\n", l.switchChain[g]);
        out += "\t\tcounter drop comment \"netsep kill switch: every group that admits it is "
               "off\"\n";
        out += "\t}\n";
        for (std::size_t g = 0; g < fw.switchGroups.size(); ++g) {
            const std::string& group = fw.switchGroups[g];
            bool engaged =
                std::binary_search(fw.engagedGroups.begin(), fw.engagedGroups.end(), group);
            fmt::format_to(std::back_inserter(out), "\n\t# kill switch of group {}: {}\n",
                           txt(group),
                           engaged ? "OFF (engaged in the policy)" : "on (its accept rule)");
            fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", l.switchChain[g]);
            if (!engaged)
                fmt::format_to(std::back_inserter(out), "\t\t{}\n", switchOnRule(fw, group));
            out += "\t}\n";
        }
    }

    for (std::size_t i = 0; i < fw.pairs.size(); ++i) {
        const auto& p = fw.pairs[i];
        const auto& ks = l.ksChains[i];
        std::string from = txt(p.fromZone), to = txt(p.toZone);
        fmt::format_to(std::back_inserter(out), "\n\t# zone pair {} -> {}\n", from, to);
        const nft::Side split = l.scope->split(i);
        const std::string deny = fmt::format(
            "\t\tcounter drop comment \"{}\"\n",
            emit::safeText(fmt::format("netsep default deny {} to {}", p.fromZone, p.toZone),
                           kMaxComment));
        // The rules of one variant, in policy order, then the default deny.
        auto body = [&](nft::Variant variant) {
            const Placement at{i, variant, false};
            std::vector<std::string> jumped;
            for (std::size_t ri = 0; ri < p.rules.size(); ++ri) {
                const auto& r = p.rules[ri];
                if (r.global)
                    continue; // in the forward chain, ahead of the dispatch
                if (r.killSwitch.empty()) {
                    const bool twins =
                        ri + 1 < p.rules.size() && lower::tcpUdpTwins(r, p.rules[ri + 1]);
                    appendRule(out, fw, l, r, twins, at);
                    ri += twins;
                    continue;
                }
                if (std::find(jumped.begin(), jumped.end(), r.killSwitch) != jumped.end())
                    continue;
                if (!l.scope->matchesIn(i, r, variant))
                    continue; // the group's chain is reached where its rules can match

                jumped.push_back(r.killSwitch);
                auto it = std::find_if(ks.begin(), ks.end(),
                                       [&](const auto& e) { return e.first == r.killSwitch; });
                fmt::format_to(std::back_inserter(out), "\t\tjump {} comment \"{}\"\n", it->second,
                               emit::safeText("kill-switch group " + r.killSwitch, kMaxComment));
            }
            if (!jumped.empty())
                fmt::format_to(std::back_inserter(out),
                               "\t\tct mark & {} != 0x00000000 jump {} comment \"netsep kill "
                               "switch: exceptions admit while a group is on\"\n",
                               killSwitchMaskText(), kKillSwitch);
            out += deny;
        };
        fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", l.pairChain[i]);
        if (split != nft::Side::None) {
            // Declared addresses on the catch-all side go to their own
            // variant (or straight to the default deny when no rule can
            // match one), so that here the catch-all needs no test.
            const char* dir = split == nft::Side::Source ? "saddr" : "daddr";
            for (Family fam : {Family::V4, Family::V6}) {
                const bool v4 = fam == Family::V4;
                const std::string& set = v4 ? l.declared4 : l.declared6;
                if (set.empty())
                    continue;
                std::string line = fmt::format("\t\t{} {} @{} ", v4 ? "ip" : "ip6", dir, set);
                out += l.declaredChain[i].empty()
                           ? line + deny.substr(2)
                           : line + fmt::format("goto {}\n", l.declaredChain[i]);
            }
        }
        body(split == nft::Side::None ? nft::Variant::All : nft::Variant::Outside);
        out += "\t}\n";
        if (!l.declaredChain[i].empty()) {
            fmt::format_to(std::back_inserter(out),
                           "\n\t# zone pair {} -> {}, declared {} addresses on the catch-all "
                           "side\n",
                           from, to, split == nft::Side::Source ? "source" : "destination");
            fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", l.declaredChain[i]);
            body(nft::Variant::Declared);
            out += "\t}\n";
        }
        for (const auto& [group, chain] : ks) {
            fmt::format_to(std::back_inserter(out),
                           "\n\t# kill-switch group {}, zone pair {} -> {}: marks the "
                           "connections its exceptions admit\n",
                           txt(group), from, to);
            fmt::format_to(std::back_inserter(out), "\tchain {} {{\n", chain);
            for (std::size_t ri = 0; ri < p.rules.size(); ++ri)
                if (p.rules[ri].killSwitch == group) {
                    const bool twins =
                        ri + 1 < p.rules.size() && lower::tcpUdpTwins(p.rules[ri], p.rules[ri + 1]);
                    appendRule(out, fw, l, p.rules[ri], twins, Placement{});
                    ri += twins;
                }
            out += "\t}\n";
        }
    }
    out += "}\n";
    return {Artifact{"nftables.nft", std::move(out)}};
}

std::map<std::string, std::set<std::string>>
NftablesBackend::ruleLabels(const LoweredFirewall& fw) const {
    return emit::commentLabels(fw, kMaxComment);
}

std::optional<std::vector<Artifact>>
NftablesBackend::killSwitchArtifacts(const LoweredFirewall& fw, const std::string& group) const {
    emit::checkInterfaceNames(fw, "nftables");
    const Layout l = layoutOf(fw);
    const std::string& sw = l.switchChain[switchIndex(fw, group)];
    std::string file = emit::identifier(group, 64);
    std::string offPath = fmt::format("nftables-killswitch-{}-disable.nft", file);
    std::string onPath = fmt::format("nftables-killswitch-{}-enable.nft", file);
    std::string off, on;
    appendHeader(off, fw, fmt::format("Kill switch: turns group {} off.", txt(group)));
    off += "# New connections of the group's exceptions are refused, and open ones are\n"
           "# cut, unless another kill-switch group that is on admits them too.\n";
    appendHeader(on, fw, fmt::format("Kill switch: turns group {} back on.", txt(group)));
    for (auto [t, path] : {std::pair{&off, &offPath}, std::pair{&on, &onPath}}) {
        fmt::format_to(std::back_inserter(*t),
                       "# Load with: nft -f {} (one transaction; touches only chain\n# {}).\n",
                       *path, sw);
        if (!l.provenanceChain.empty())
            fmt::format_to(
                std::back_inserter(*t),
                "# The first command fails, and nothing changes, unless the loaded table\n"
                "# comes from the compile these files belong to (its provenance chain is\n"
                "# named after the policy digest). To run it on another compile anyway:\n"
                "#   grep -v '^flush chain inet {} provenance_' {} | nft -f -\n"
                "flush chain inet {} {}\n",
                l.table, *path, l.table, l.provenanceChain);
        fmt::format_to(std::back_inserter(*t), "flush chain inet {} {}\n", l.table, sw);
    }
    fmt::format_to(std::back_inserter(on), "add rule inet {} {} {}\n", l.table, sw,
                   switchOnRule(fw, group));
    return std::vector<Artifact>{Artifact{std::move(offPath), std::move(off)},
                                 Artifact{std::move(onPath), std::move(on)}};
}

} // namespace netsep::backends
