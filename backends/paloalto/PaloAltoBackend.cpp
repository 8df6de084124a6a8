#include "backends/paloalto/PaloAltoBackend.hpp"

#include "backends/common/VendorCommon.hpp"
#include "lower/ExplicitAddresses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_set>

namespace netsep::backends {

namespace {

using lower::Action;
using lower::LoweredFirewall;
using lower::LoweredRule;
using model::Proto;

constexpr const char* kBackend = "paloalto";
// Address, address-group, service, service-group and rule names: up to 63
// characters; zone names up to 31; tag names up to 127.
constexpr std::size_t kMaxName = 63;
constexpr std::size_t kMaxZone = 31;
constexpr std::size_t kMaxDescription = 1023;
constexpr const char* kTag = "netsep";
constexpr const char* kDenyRule = "netsep-default-deny";

struct Service {
    std::string name;
    std::string proto; // tcp / udp
    std::string ports; // "443", "8000-8010"
};

struct ServiceGroup {
    std::string name;
    std::vector<std::string> members;
};

struct Rule {
    std::string name;
    const LoweredRule* rule = nullptr;
    std::string from, to, src, dst, user, app, service, tag, description;
};

struct Layout {
    std::vector<std::pair<std::string, std::vector<std::string>>> zones;
    std::vector<std::pair<std::string, std::string>> addresses; // name, "ip-netmask X" / "fqdn X"
    std::vector<std::string> group;                             // per object
    std::vector<std::vector<std::string>> groupMembers;
    std::vector<Service> services;
    std::vector<ServiceGroup> serviceGroups;
    std::vector<std::pair<std::string, std::string>> ksTags; // tag, group
    std::vector<Rule> rules;
};

// "a" or "[ a b ]".
std::string list(const std::vector<std::string>& items) {
    if (items.size() == 1)
        return items.front();
    std::string s = "[";
    for (const auto& i : items)
        s += " " + i;
    return s + " ]";
}

Layout layoutOf(const LoweredFirewall& fw, const Capabilities& caps) {
    vendor::validate(fw, kBackend, caps);
    Layout l;

    vendor::NameTable zoneNames(kMaxZone);
    zoneNames.reserve("any");
    const vendor::NamedZones zones = vendor::nameZones(fw, zoneNames);
    l.zones = zones.zones;
    auto zoneOf = [&](const std::string& zone) { return zones.of(zone, fw, kBackend); };

    // Addresses and address-groups share one namespace.
    vendor::NameTable names(kMaxName);
    names.reserve("any");
    std::set<std::string> defined; // address entries already printed
    for (const auto& o : fw.objects) {
        std::vector<std::string> members;
        auto add = [&](const std::string& kind, const std::string& raw, const std::string& value) {
            std::string n = names.name(kind, raw);
            if (defined.insert(n).second)
                l.addresses.emplace_back(n, value);
            members.push_back(n);
        };
        for (const auto* v : {&o.v4, &o.v6})
            for (const auto& p : normalizePrefixes(*v))
                add("prefix", vendor::prefixName(p), "ip-netmask " + p.str());
        for (const auto& f : o.fqdns)
            add("fqdn", vendor::fqdnName(f), "fqdn " + f);
        l.group.push_back(members.empty() ? std::string() : names.name("group", o.name));
        l.groupMembers.push_back(std::move(members));
    }

    // Services and service-groups share one namespace.
    vendor::NameTable svcNames(kMaxName);
    for (const char* r : {"any", "application-default", "service-http", "service-https"})
        svcNames.reserve(r);
    std::unordered_set<std::string> serviceSeen, groupSeen, tagSeen; // defined once each
    auto serviceOf = [&](const LoweredRule& r) -> std::string {
        const lower::Match& m = r.match;
        if (m.proto != Proto::Tcp && m.proto != Proto::Udp)
            return "any";
        std::vector<std::string> members;
        for (const auto& a : vendor::serviceAtoms(m)) {
            std::string n = svcNames.name("service", vendor::atomName(a));
            if (serviceSeen.insert(n).second)
                l.services.push_back(
                    {n, vendor::protoWord(a.proto),
                     a.lo == a.hi ? fmt::format("{}", a.lo) : fmt::format("{}-{}", a.lo, a.hi)});
            members.push_back(n);
        }
        if (members.size() == 1)
            return members.front();
        std::string n = svcNames.name("group", "svc-" + vendor::matchName(m));
        if (groupSeen.insert(n).second)
            l.serviceGroups.push_back({n, members});
        return n;
    };
    auto applicationOf = [&](const LoweredRule& r) -> std::string {
        switch (r.match.proto) {
        case Proto::Icmp:
        case Proto::Icmpv6:
            if (!r.match.icmpTypes.empty())
                throw std::invalid_argument(fmt::format(
                    "{} backend: firewall '{}': rule '{}' matches ICMP types, which a PAN-OS "
                    "security rule cannot express",
                    kBackend, vendor::text(fw.name, 64), vendor::text(r.policyRule, 64)));
            return r.match.proto == Proto::Icmp ? "icmp" : "ipv6-icmp";
        default:
            return "any";
        }
    };
    auto groupOf = [&](uint32_t obj, const LoweredRule& r) {
        if (l.group[obj].empty())
            throw std::invalid_argument(fmt::format(
                "{} backend: firewall '{}': rule '{}' uses address object '{}' without addresses",
                kBackend, vendor::text(fw.name, 64), vendor::text(r.policyRule, 64),
                vendor::text(fw.objects[obj].name, 64)));
        return l.group[obj];
    };

    vendor::NameTable tags(kMaxName);
    tags.reserve(kTag);
    vendor::NameTable users(kMaxName);
    users.reserve("any");
    vendor::NameTable ruleNames(kMaxName);
    ruleNames.reserve(kDenyRule);
    const auto raw = vendor::ruleNames(fw);
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi)
        for (std::size_t ri = 0; ri < fw.pairs[pi].rules.size(); ++ri) {
            const auto& p = fw.pairs[pi];
            const auto& r = p.rules[ri];
            Rule out;
            out.name = ruleNames.fresh(raw[pi][ri]);
            out.rule = &r;
            out.from = zoneOf(p.fromZone);
            out.to = zoneOf(p.toZone);
            out.src = groupOf(r.src, r);
            out.dst = groupOf(r.dst, r);
            // source-user names the identity's IdP group (User-ID group mapping).
            out.user =
                r.identity.empty()
                    ? "any"
                    : users.name("user", r.identityGroup.empty() ? r.identity : r.identityGroup);
            out.app = applicationOf(r);
            out.service = serviceOf(r);
            if (!r.killSwitch.empty()) {
                out.tag = tags.name("ks", "netsep-ks-" + r.killSwitch);
                if (tagSeen.insert(out.tag).second)
                    l.ksTags.emplace_back(out.tag, r.killSwitch);
            }
            out.description = vendor::ruleDescription(r, kMaxDescription, true);
            l.rules.push_back(std::move(out));
        }
    return l;
}

} // namespace

Capabilities PaloAltoBackend::capabilities() const {
    Capabilities c;
    c.identity = true; // source-user
    c.fqdn = true;     // address ... fqdn
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = false; // App-ID classifies ICMP as icmp / ipv6-icmp, not per type
    c.logging = true;
    c.maxInterfaceName = 31;
    c.interfaceNameChars = "/.-";
    return c;
}

std::vector<Artifact> PaloAltoBackend::emit(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered); // no negated objects here yet
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string out;
    // PAN-OS set commands have no comment syntax: the header is the tag's
    // comment.
    fmt::format_to(std::back_inserter(out), "set tag {} comments \"{}\"\n", kTag,
                   vendor::text("Generated by netsep from policy " + fw.policyName + ", firewall " +
                                    fw.name + ". Do not edit.",
                                1023));
    out += "delete rulebase security rules\n";
    for (const auto& g : l.group)
        if (!g.empty())
            fmt::format_to(std::back_inserter(out), "delete address-group {}\n", g);
    for (const auto& g : l.serviceGroups)
        fmt::format_to(std::back_inserter(out), "delete service-group {}\n", g.name);
    for (const auto& [zone, ifaces] : l.zones)
        fmt::format_to(std::back_inserter(out), "set zone {} network layer3 {}\n", zone,
                       list(ifaces));
    for (const auto& [name, value] : l.addresses)
        fmt::format_to(std::back_inserter(out), "set address {} {}\n", name, value);
    for (std::size_t i = 0; i < fw.objects.size(); ++i) {
        if (l.group[i].empty())
            continue;
        fmt::format_to(std::back_inserter(out), "set address-group {} static {}\n", l.group[i],
                       list(l.groupMembers[i]));
        fmt::format_to(
            std::back_inserter(out), "set address-group {} description \"{}\"\n", l.group[i],
            vendor::text("netsep address object " + fw.objects[i].name, kMaxDescription));
    }
    for (const auto& s : l.services)
        fmt::format_to(std::back_inserter(out), "set service {} protocol {} port {}\n", s.name,
                       s.proto, s.ports);
    for (const auto& g : l.serviceGroups)
        fmt::format_to(std::back_inserter(out), "set service-group {} members {}\n", g.name,
                       list(g.members));
    for (const auto& [tag, group] : l.ksTags)
        fmt::format_to(std::back_inserter(out), "set tag {} comments \"{}\"\n", tag,
                       vendor::text("netsep kill-switch group " + group, 1023));

    auto rule = [&](const Rule& r, bool allow, bool log) {
        std::string head = "set rulebase security rules " + r.name;
        fmt::format_to(std::back_inserter(out), "{} from {}\n", head, r.from);
        fmt::format_to(std::back_inserter(out), "{} to {}\n", head, r.to);
        fmt::format_to(std::back_inserter(out), "{} source {}\n", head, r.src);
        fmt::format_to(std::back_inserter(out), "{} destination {}\n", head, r.dst);
        fmt::format_to(std::back_inserter(out), "{} source-user {}\n", head, r.user);
        fmt::format_to(std::back_inserter(out), "{} application {}\n", head, r.app);
        fmt::format_to(std::back_inserter(out), "{} service {}\n", head, r.service);
        fmt::format_to(std::back_inserter(out), "{} action {}\n", head, allow ? "allow" : "deny");
        fmt::format_to(std::back_inserter(out), "{} log-end {}\n", head, log ? "yes" : "no");
        fmt::format_to(std::back_inserter(out), "{} description \"{}\"\n", head, r.description);
        fmt::format_to(std::back_inserter(out), "{} tag {}\n", head,
                       r.tag.empty() ? std::string(kTag) : list({kTag, r.tag}));
    };
    for (const auto& r : l.rules)
        rule(r, r.rule->action == Action::Accept, r.rule->log);
    Rule deny;
    deny.name = kDenyRule;
    deny.from = deny.to = deny.src = deny.dst = deny.user = deny.app = deny.service = "any";
    deny.description = "netsep default deny";
    rule(deny, false, true);
    return {Artifact{"paloalto.set", std::move(out)}};
}

std::optional<std::vector<Artifact>>
PaloAltoBackend::killSwitchArtifacts(const LoweredFirewall& lowered,
                                     const std::string& group) const {
    const lower::ExplicitAddresses explicitAddresses(lowered);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string file = vendor::mangle(group, 64);
    struct {
        Artifact disable, enable;
    } ks;
    ks.disable.path = fmt::format("paloalto-killswitch-{}-disable.set", file);
    ks.enable.path = fmt::format("paloalto-killswitch-{}-enable.set", file);
    for (const auto& r : l.rules) {
        if (r.rule->killSwitch != group)
            continue;
        fmt::format_to(std::back_inserter(ks.disable.content),
                       "set rulebase security rules {} disabled yes\n", r.name);
        fmt::format_to(std::back_inserter(ks.enable.content),
                       "set rulebase security rules {} disabled no\n", r.name);
    }
    return std::vector<Artifact>{std::move(ks.disable), std::move(ks.enable)};
}

} // namespace netsep::backends
