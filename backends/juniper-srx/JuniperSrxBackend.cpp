#include "backends/juniper-srx/JuniperSrxBackend.hpp"

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

constexpr const char* kBackend = "juniper-srx";
// Zone, address, address-set, application and policy names: up to 63.
constexpr std::size_t kMaxName = 63;
constexpr std::size_t kMaxDescription = 200;

struct Application {
    std::string name;
    std::vector<std::string> attrs; // "protocol tcp", "destination-port 443", ...
};

struct AppSet {
    std::string name;
    std::vector<std::string> members;
};

struct Policy {
    std::string name;
    const LoweredRule* rule = nullptr; // null: the pair's deny-rest
    std::string src, dst, app;
    std::string description;
};

struct PairPolicies {
    std::string from, to; // zone names as printed
    std::vector<Policy> policies;
};

struct Layout {
    std::vector<std::pair<std::string, std::vector<std::string>>> zones; // name, interfaces
    std::vector<std::pair<std::string, std::string>> addresses;          // name, value
    std::vector<std::string> set;                                        // per object
    std::vector<std::vector<std::string>> setMembers;                    // per object
    std::vector<Application> apps;
    std::vector<AppSet> appSets;
    std::vector<PairPolicies> pairs;
};

std::vector<std::string> appAttrs(const vendor::ServiceAtom& a) {
    std::vector<std::string> v;
    switch (a.proto) {
    case Proto::Tcp:
    case Proto::Udp:
        v.push_back(fmt::format("protocol {}", vendor::protoWord(a.proto)));
        v.push_back(a.lo == a.hi ? fmt::format("destination-port {}", a.lo)
                                 : fmt::format("destination-port {}-{}", a.lo, a.hi));
        break;
    case Proto::Icmp:
        v.push_back("protocol icmp");
        if (a.icmpType >= 0)
            v.push_back(fmt::format("icmp-type {}", a.icmpType));
        break;
    case Proto::Icmpv6:
        v.push_back("protocol icmp6");
        if (a.icmpType >= 0)
            v.push_back(fmt::format("icmp6-type {}", a.icmpType));
        break;
    case Proto::Any:
        break;
    }
    return v;
}

Layout layoutOf(const LoweredFirewall& fw, const Capabilities& caps) {
    vendor::validate(fw, kBackend, caps);
    Layout l;

    vendor::NameTable zoneNames(kMaxName);
    zoneNames.reserve("junos-host");
    zoneNames.reserve("any");
    const vendor::NamedZones zones = vendor::nameZones(fw, zoneNames);
    l.zones = zones.zones;
    auto zoneOf = [&](const std::string& zone) { return zones.of(zone, fw, kBackend); };

    // Addresses and address-sets share the global address book's namespace.
    vendor::NameTable names(kMaxName);
    for (const char* r : {"any", "any-ipv4", "any-ipv6"})
        names.reserve(r);
    std::set<std::string> defined; // address entries already printed
    for (const auto& o : fw.objects) {
        std::vector<std::string> members;
        auto add = [&](const std::string& kind, const std::string& raw, const std::string& value) {
            std::string n = names.name(kind, raw);
            if (defined.insert(n).second)
                l.addresses.emplace_back(n, value);
            members.push_back(n);
        };
        for (const auto* list : {&o.v4, &o.v6})
            for (const auto& p : normalizePrefixes(*list))
                add("prefix", vendor::prefixName(p), p.str());
        for (const auto& f : o.fqdns)
            add("fqdn", vendor::fqdnName(f), "dns-name " + f);
        l.set.push_back(members.empty() ? std::string() : names.name("set", o.name));
        l.setMembers.push_back(std::move(members));
    }

    // Applications and application-sets share the applications namespace.
    vendor::NameTable appNames(kMaxName);
    appNames.reserve("any");
    std::unordered_set<std::string> appSeen, appSetSeen; // defined once each
    auto appOf = [&](const lower::Match& m) -> std::string {
        if (m.proto == Proto::Any)
            return "any";
        std::vector<std::string> members;
        for (const auto& a : vendor::serviceAtoms(m)) {
            std::string n = appNames.name("app", vendor::atomName(a));
            if (appSeen.insert(n).second)
                l.apps.push_back({n, appAttrs(a)});
            members.push_back(n);
        }
        if (members.size() == 1)
            return members.front();
        std::string n = appNames.name("set", "svc-" + vendor::matchName(m));
        if (appSetSeen.insert(n).second)
            l.appSets.push_back({n, members});
        return n;
    };
    auto setOf = [&](uint32_t obj, const LoweredRule& r) {
        if (l.set[obj].empty())
            throw std::invalid_argument(fmt::format(
                "{} backend: firewall '{}': rule '{}' uses address object '{}' without addresses",
                kBackend, vendor::text(fw.name, 64), vendor::text(r.policyRule, 64),
                vendor::text(fw.objects[obj].name, 64)));
        return l.set[obj];
    };

    // Policy names are kept unique over the whole firewall.
    vendor::NameTable policyNames(kMaxName);
    const auto raw = vendor::ruleNames(fw);
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi) {
        const auto& p = fw.pairs[pi];
        PairPolicies pp{zoneOf(p.fromZone), zoneOf(p.toZone), {}};
        for (std::size_t ri = 0; ri < p.rules.size(); ++ri) {
            const auto& r = p.rules[ri];
            pp.policies.push_back({policyNames.fresh(raw[pi][ri]), &r, setOf(r.src, r),
                                   setOf(r.dst, r), appOf(r.match),
                                   vendor::ruleDescription(r, kMaxDescription, false)});
        }
        pp.policies.push_back({policyNames.fresh("deny-rest-" + p.fromZone + "-" + p.toZone),
                               nullptr, "any", "any", "any",
                               vendor::text("netsep default deny " + p.fromZone + " to " + p.toZone,
                                            kMaxDescription)});
        l.pairs.push_back(std::move(pp));
    }
    return l;
}

} // namespace

Capabilities JuniperSrxBackend::capabilities() const {
    Capabilities c;
    c.identity = false; // source-identity (user firewall) is not emitted
    c.fqdn = true;      // address ... dns-name
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    c.maxInterfaceName = 63;
    c.interfaceNameChars = "/.:-";
    return c;
}

std::vector<Artifact> JuniperSrxBackend::emit(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered); // no negated objects here yet
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string out;
    vendor::appendHeader(out, "#", fw,
                         "Junos OS set commands: load set juniper-srx.set, then commit.");
    out += "# Replaces every security policy and rebuilds the address-sets below.\n"
           "# The commit applies all of it at once.\n";
    out += "delete security policies\n";
    for (const auto& s : l.set)
        if (!s.empty())
            fmt::format_to(std::back_inserter(out),
                           "delete security address-book global address-set {}\n", s);
    for (const auto& [zone, ifaces] : l.zones)
        for (const auto& i : ifaces)
            fmt::format_to(std::back_inserter(out),
                           "set security zones security-zone {} interfaces {}\n", zone, i);
    for (const auto& [name, value] : l.addresses)
        fmt::format_to(std::back_inserter(out), "set security address-book global address {} {}\n",
                       name, value);
    for (std::size_t i = 0; i < fw.objects.size(); ++i) {
        if (l.set[i].empty())
            continue;
        for (const auto& m : l.setMembers[i])
            fmt::format_to(std::back_inserter(out),
                           "set security address-book global address-set {} address {}\n", l.set[i],
                           m);
    }
    for (const auto& a : l.apps)
        for (const auto& attr : a.attrs)
            fmt::format_to(std::back_inserter(out), "set applications application {} {}\n", a.name,
                           attr);
    for (const auto& s : l.appSets)
        for (const auto& m : s.members)
            fmt::format_to(std::back_inserter(out),
                           "set applications application-set {} application {}\n", s.name, m);
    for (const auto& pp : l.pairs) {
        for (const auto& pol : pp.policies) {
            std::string head =
                fmt::format("set security policies from-zone {} to-zone {} policy {}", pp.from,
                            pp.to, pol.name);
            fmt::format_to(std::back_inserter(out), "{} description \"{}\"\n", head,
                           pol.description);
            fmt::format_to(std::back_inserter(out), "{} match source-address {}\n", head, pol.src);
            fmt::format_to(std::back_inserter(out), "{} match destination-address {}\n", head,
                           pol.dst);
            fmt::format_to(std::back_inserter(out), "{} match application {}\n", head, pol.app);
            bool permit = pol.rule && pol.rule->action == Action::Accept;
            fmt::format_to(std::back_inserter(out), "{} then {}\n", head,
                           permit ? "permit" : "deny");
            if (!pol.rule || pol.rule->log) {
                fmt::format_to(std::back_inserter(out), "{} then log session-init\n", head);
                if (permit)
                    fmt::format_to(std::back_inserter(out), "{} then log session-close\n", head);
            }
        }
    }
    out += "set security policies default-policy deny-all\n";
    return {Artifact{"juniper-srx.set", std::move(out)}};
}

std::optional<std::vector<Artifact>>
JuniperSrxBackend::killSwitchArtifacts(const LoweredFirewall& lowered,
                                       const std::string& group) const {
    const lower::ExplicitAddresses explicitAddresses(lowered);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string file = vendor::mangle(group, 64);
    struct {
        Artifact disable, enable;
    } ks;
    ks.disable.path = fmt::format("juniper-srx-killswitch-{}-disable.set", file);
    ks.enable.path = fmt::format("juniper-srx-killswitch-{}-enable.set", file);
    vendor::appendHeader(ks.disable.content, "#", fw,
                         "Kill switch: deactivates every policy of kill-switch group " +
                             vendor::text(group, 100) + ". Load set, then commit.");
    vendor::appendHeader(ks.enable.content, "#", fw,
                         "Kill switch: activates every policy of kill-switch group " +
                             vendor::text(group, 100) + ". Load set, then commit.");
    for (const auto& pp : l.pairs)
        for (const auto& pol : pp.policies) {
            if (!pol.rule || pol.rule->killSwitch != group)
                continue;
            std::string path = fmt::format("security policies from-zone {} to-zone {} policy {}",
                                           pp.from, pp.to, pol.name);
            ks.disable.content += "deactivate " + path + "\n";
            ks.enable.content += "activate " + path + "\n";
        }
    return std::vector<Artifact>{std::move(ks.disable), std::move(ks.enable)};
}

} // namespace netsep::backends
