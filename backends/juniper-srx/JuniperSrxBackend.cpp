#include "backends/juniper-srx/JuniperSrxBackend.hpp"

#include "backends/common/GeneratedHeader.hpp"
#include "backends/common/PrefixTexts.hpp"
#include "backends/common/ServiceCache.hpp"
#include "backends/common/VendorCommon.hpp"
#include "backends/common/VendorInterfaceNames.hpp"
#include "lower/ExplicitAddresses.hpp"
#include "lower/NegatedAddresses.hpp"
#include "lower/ServiceTwins.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
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
// Everything netsep owns on the device lives in this configuration group
// (docs/backends/juniper-srx.md, "Coexistence").
constexpr const char* kGroup = "netsep";

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
    std::string src, dst;
    std::vector<std::string> apps; // one `match application` line each
    std::string description;
    bool excludeSrc = false, excludeDst = false; // src/dst name what the address is not
};

struct PairPolicies {
    std::string from, to; // zone names as printed
    std::vector<Policy> policies;
};

struct Layout {
    std::vector<std::pair<std::string, std::vector<std::string>>> zones; // name, interfaces
    // Address entries and set members are views: into the shared prefix
    // texts (thousands of declared prefixes per firewall) or into `own`.
    std::vector<std::pair<std::string_view, std::string_view>> addresses; // name, value
    std::vector<std::string> set;                                         // per object
    std::vector<std::vector<std::string_view>> setMembers;                // per object
    std::vector<std::shared_ptr<const std::vector<vendor::PrefixText>>> texts;
    std::deque<std::string> own; // FQDN entry names and values
    std::vector<bool> excluded;  // per object: its set is what it excludes
    std::vector<Application> apps;
    std::vector<AppSet> appSets;
    std::vector<PairPolicies> pairs;
    bool ipv6 = false; // some rule matches IPv6: the device needs inet6 flow mode
    // A global-deny policy's name -> every policy rule it holds.
    std::map<std::string, std::vector<std::string>> carried;
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

Layout layoutOf(const LoweredFirewall& fw, const Backend& backend) {
    vendor::validate(fw, backend);
    Layout l;

    // Zones are the device's (shared with its other configuration): their
    // names are the policy's, not prefixed.
    vendor::NameTable zoneNames(kMaxName);
    zoneNames.reserve("junos-host");
    zoneNames.reserve("any");
    const vendor::NamedZones zones = vendor::nameZones(fw, zoneNames);
    l.zones = zones.zones;
    auto zoneOf = [&](const std::string& zone) { return zones.of(zone, fw, kBackend); };

    // Addresses and address-sets share the global address book's namespace.
    vendor::NameTable names(kMaxName, vendor::kOwnedPrefix);
    std::unordered_set<std::string_view> defined; // address entries already printed
    for (const auto& o : fw.objects) {
        // A negated object (the catch-all zone) is matched as "every address
        // except" the set of what it excludes: the declared prefixes.
        const std::optional<lower::Exclusion> excl = lower::exclusionOf(fw, o);
        std::vector<std::string_view> members;
        auto add = [&](std::string_view n, std::string_view value) {
            if (defined.insert(n).second)
                l.addresses.emplace_back(n, value);
            members.push_back(n);
        };
        const auto* v4 = excl ? &excl->v4 : &o.v4;
        const auto* v6 = excl ? &excl->v6 : &o.v6;
        for (const auto* list : {v4, v6}) {
            const auto& texts = l.texts.emplace_back(vendor::prefixTexts(*list));
            members.reserve(members.size() + texts->size());
            for (const auto& t : *texts)
                add(t.owned, t.cidr); // PrefixText::owned: the name a table would give
        }
        for (const auto& f : o.fqdns) {
            const std::string& n = l.own.emplace_back(names.name("fqdn", vendor::fqdnName(f)));
            add(n, l.own.emplace_back("dns-name " + f));
        }
        l.set.push_back(members.empty() ? std::string()
                                        : names.name("set", excl ? "declared" : o.name));
        l.setMembers.push_back(std::move(members));
        l.excluded.push_back(excl.has_value());
    }

    // Applications and application-sets share the applications namespace.
    vendor::NameTable appNames(kMaxName, vendor::kOwnedPrefix);
    std::unordered_set<std::string> appSeen, appSetSeen; // defined once each
    auto makeApp = [&](const lower::Match& m) -> std::string {
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
    vendor::ServiceCache appCache;
    auto appOf = [&](const lower::Match& m) -> std::string {
        return appCache.get(m, nullptr, [&] { return makeApp(m); });
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
    vendor::NameTable policyNames(kMaxName, vendor::kOwnedPrefix);
    const auto raw = vendor::ruleNames(fw);
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi) {
        const auto& p = fw.pairs[pi];
        PairPolicies pp{zoneOf(p.fromZone), zoneOf(p.toZone), {}};
        // Global denies (from any to any) first, as one policy per pair and
        // log setting: their source and destination are `any` and their
        // applications a list. Junos reads global policies only after the
        // pair's, so a pair is where they can override its permits; all of
        // them are denies, so their order among themselves changes nothing.
        for (bool log : {false, true}) {
            Policy g{"", nullptr, "any", "any", {}, {}};
            std::vector<std::string> names, carries;
            for (const auto& r : p.rules) {
                if (!r.global || r.log != log)
                    continue;
                if (!g.rule)
                    g.rule = &r;
                l.ipv6 = l.ipv6 || r.v6;
                std::string a = appOf(r.match);
                if (std::find(g.apps.begin(), g.apps.end(), a) == g.apps.end())
                    g.apps.push_back(std::move(a));
                if (std::find(carries.begin(), carries.end(), r.policyRule) == carries.end())
                    carries.push_back(r.policyRule);
                std::string n = fmt::format("{} at {}", r.policyRule, r.where);
                if (std::find(names.begin(), names.end(), n) == names.end())
                    names.push_back(std::move(n));
            }
            if (!g.rule)
                continue;
            if (std::find(g.apps.begin(), g.apps.end(), "any") != g.apps.end())
                g.apps = {"any"};
            g.name = policyNames.fresh(
                fmt::format("global-deny{}-{}-{}", log ? "-log" : "", p.fromZone, p.toZone));
            l.carried[g.name] = std::move(carries);
            std::string joined;
            for (const auto& n : names)
                joined += (joined.empty() ? "" : ", ") + n;
            g.description =
                vendor::text(fmt::format("global deny from any to any: policy rules {}", joined),
                             kMaxDescription);
            pp.policies.push_back(std::move(g));
        }
        for (std::size_t ri = 0; ri < p.rules.size(); ++ri) {
            const auto& r = p.rules[ri];
            if (r.global)
                continue;
            l.ipv6 = l.ipv6 || r.v6;
            std::vector<std::string> apps{appOf(r.match)};
            // tcp/udp twins: one policy with both applications.
            if (ri + 1 < p.rules.size() && lower::tcpUdpTwins(r, p.rules[ri + 1]))
                apps.push_back(appOf(p.rules[++ri].match));
            pp.policies.push_back({policyNames.fresh(raw[pi][ri]), &r, setOf(r.src, r),
                                   setOf(r.dst, r), std::move(apps),
                                   vendor::ruleDescription(r, kMaxDescription, false),
                                   l.excluded[r.src], l.excluded[r.dst]});
        }
        pp.policies.push_back({policyNames.fresh("deny-rest-" + p.fromZone + "-" + p.toZone),
                               nullptr,
                               "any",
                               "any",
                               {"any"},
                               vendor::text("netsep default deny " + p.fromZone + " to " + p.toZone,
                                            kMaxDescription)});
        l.pairs.push_back(std::move(pp));
    }
    return l;
}

// How to load a file with Junos' own rollback, for the header. A kill switch
// or a quarantine ("kill switch", "quarantine") is committed at once: a
// confirmed commit would undo it by itself.
void appendRecipe(std::string& out, const LoweredFirewall& fw, const char* immediate = nullptr) {
    std::string comment = vendor::shortDigest(fw);
    if (immediate) {
        std::string what = immediate;
        std::string section = what == "quarantine" ? "Quarantine" : "Kill switch";
        vendor::appendComment(out, "#", {""});
        out += "# Load (docs/backends/juniper-srx.md, section " + section + "):\n";
        vendor::appendComment(
            out, "#",
            {"  configure exclusive", "  load set /var/tmp/<this file>", "  show | compare"});
        out += fmt::format("#   commit comment \"netsep {} {}\"\n#\n", what, comment);
        return;
    }
    vendor::appendComment(
        out, "#",
        {"",
         "Load with Junos' own rollback (docs/backends/juniper-srx.md):", "  configure exclusive",
         "  load set /var/tmp/<this file>        (or: load set terminal, paste, Ctrl-D)",
         "  show | compare                       (review: rollback 0 discards the load)",
         "  commit check"});
    out += fmt::format("#   commit confirmed 10 comment \"netsep {}\"\n", comment);
    vendor::appendComment(
        out, "#",
        {"  ...verify traffic, then within 10 minutes:  commit",
         "Unless that second commit comes, Junos restores the previous configuration by",
         "itself after 10 minutes. Earlier versions: show system commit, then rollback N.", ""});
}

} // namespace

Capabilities JuniperSrxBackend::capabilities() const {
    Capabilities c;
    c.identity = false; // source-identity (user firewall) is not emitted
    c.fqdn = true;      // address ... dns-name
    c.ipv6 = true;      // with security forwarding-options family inet6 mode flow-based
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    c.maxInterfaceName = 63;
    c.interfaceNameChars = "/.:-";
    return c;
}

std::string JuniperSrxBackend::interfaceNameProblem(std::string_view name) const {
    return vendor::junosInterfaceProblem(name);
}

std::vector<Artifact> JuniperSrxBackend::emit(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered, lower::ListOut::Unexcludable);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, *this);
    std::string out;
    {
        // Room for the whole file up front (about 130 bytes a line): growing
        // a megabyte string by doubling copies it and faults in fresh pages.
        std::size_t lines = 64 + l.addresses.size();
        for (const auto& m : l.setMembers)
            lines += m.size();
        for (const auto& pp : l.pairs)
            for (const auto& pol : pp.policies)
                lines += 7 + pol.apps.size();
        out.reserve(lines * 136);
    }
    vendor::appendHeader(out, "#", fw, "Junos OS set commands (configuration group netsep).");
    vendor::appendComment(
        out, "#",
        {"Coexistence: everything netsep owns is in the configuration group netsep,",
         "inherited with apply-groups. The file deletes that group first and builds it",
         "again, so what an earlier version had and this one has not disappears, and",
         "nothing outside the group is touched. Zones are shared with the device's own",
         "configuration: keep the device's own policies out of netsep's zone pairs."});
    if (l.ipv6)
        vendor::appendComment(
            out, "#",
            {"", "IPv6: this policy matches IPv6, so the file sets security forwarding-options",
             "family inet6 mode flow-based. Junos drops IPv6 by default, and a change of",
             "that mode takes effect only after a reboot (the commit warns): until then",
             "IPv6 stays dropped. Check with: show security flow status"});
    appendRecipe(out, fw);
    const std::string g = fmt::format("set groups {} ", kGroup);
    fmt::format_to(std::back_inserter(out), "delete groups {}\n", kGroup);
    // The provenance where the device keeps it: apply-macro data in the group.
    const auto& pv = fw.provenance;
    for (const auto& [key, value] :
         {std::pair<const char*, const std::string&>{"policy-digest", pv.policyDigest},
          {"netsep-version", pv.netsepVersion},
          {"as-of", pv.asOf}})
        if (!value.empty())
            fmt::format_to(std::back_inserter(out), "{}apply-macro netsep-provenance {} {}\n", g,
                           key, vendor::text(value, 100));
    for (const auto& [zone, ifaces] : l.zones)
        for (const auto& i : ifaces)
            fmt::format_to(std::back_inserter(out),
                           "{}security zones security-zone {} interfaces {}\n", g, zone, i);
    // Appended rather than formatted: with the declared prefixes these are
    // thousands of lines per firewall.
    for (const auto& [name, value] : l.addresses) {
        out += g;
        out += "security address-book global address ";
        out += name;
        out += ' ';
        out += value;
        out += '\n';
    }
    for (std::size_t i = 0; i < fw.objects.size(); ++i) {
        if (l.set[i].empty())
            continue;
        const std::string head =
            g + "security address-book global address-set " + l.set[i] + " address ";
        for (const auto& m : l.setMembers[i]) {
            out += head;
            out += m;
            out += '\n';
        }
    }
    for (const auto& a : l.apps)
        for (const auto& attr : a.attrs)
            fmt::format_to(std::back_inserter(out), "{}applications application {} {}\n", g, a.name,
                           attr);
    for (const auto& s : l.appSets)
        for (const auto& m : s.members)
            fmt::format_to(std::back_inserter(out),
                           "{}applications application-set {} application {}\n", g, s.name, m);
    // Appended rather than formatted: a policy is eight lines of one head.
    std::string head;
    auto line = [&](std::initializer_list<std::string_view> parts) {
        vendor::appendLine(out, head, parts);
    };
    for (const auto& pp : l.pairs) {
        for (const auto& pol : pp.policies) {
            head.assign(g);
            head += "security policies from-zone ";
            head += pp.from;
            head += " to-zone ";
            head += pp.to;
            head += " policy ";
            head += pol.name;
            line({" description \"", pol.description, "\""});
            line({" match source-address ", pol.src});
            line({" match destination-address ", pol.dst});
            if (pol.excludeSrc)
                line({" match source-address-excluded"});
            if (pol.excludeDst)
                line({" match destination-address-excluded"});
            for (const auto& app : pol.apps)
                line({" match application ", app});
            bool permit = pol.rule && pol.rule->action == Action::Accept;
            line({" then ", permit ? "permit" : "deny"});
            if (!pol.rule || pol.rule->log) {
                line({" then log session-init"});
                if (permit)
                    line({" then log session-close"});
            }
        }
    }
    fmt::format_to(std::back_inserter(out), "{}security policies default-policy deny-all\n", g);
    if (l.ipv6)
        fmt::format_to(std::back_inserter(out),
                       "{}security forwarding-options family inet6 mode flow-based\n", g);
    fmt::format_to(std::back_inserter(out), "set apply-groups {}\n", kGroup);
    return {Artifact{"juniper-srx.set", std::move(out)}};
}

std::map<std::string, std::set<std::string>>
JuniperSrxBackend::ruleLabels(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered, lower::ListOut::Unexcludable);
    const Layout l = layoutOf(explicitAddresses.firewall(), *this);
    std::map<std::string, std::set<std::string>> out;
    for (const auto& pp : l.pairs)
        for (const auto& pol : pp.policies) {
            if (pol.rule)
                out[pol.rule->policyRule].insert(pol.name);
            if (auto it = l.carried.find(pol.name); it != l.carried.end())
                for (const auto& r : it->second)
                    out[r].insert(pol.name);
        }
    return out;
}

std::vector<Artifact> JuniperSrxBackend::emit(const LoweredFirewall& fw,
                                              const PreviousOutput& previous) const {
    // The group is deleted and rebuilt: nothing of an earlier version
    // survives, whatever it was, so the earlier output is not needed.
    (void)previous;
    return emit(fw);
}

std::optional<std::vector<Artifact>>
JuniperSrxBackend::killSwitchArtifacts(const LoweredFirewall& lowered,
                                       const std::string& group) const {
    const lower::ExplicitAddresses explicitAddresses(lowered, lower::ListOut::Unexcludable);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, *this);
    std::string file = vendor::mangle(group, 64);
    struct {
        Artifact disable, enable;
    } ks;
    ks.disable.path = fmt::format("juniper-srx-killswitch-{}-disable.set", file);
    ks.enable.path = fmt::format("juniper-srx-killswitch-{}-enable.set", file);
    const std::string what = vendor::text(group, 100);
    vendor::appendHeader(ks.disable.content, "#", fw,
                         "Kill switch: deactivates every policy of kill-switch group " + what +
                             ".");
    vendor::appendHeader(ks.enable.content, "#", fw,
                         "Kill switch: activates every policy of kill-switch group " + what + ".");
    for (Artifact* a : {&ks.disable, &ks.enable}) {
        vendor::appendComment(
            a->content, "#",
            {"Policies are addressed by name (netsep-ks-<group>-...), never by position.",
             "It belongs to the compile named above. Junos cannot check that while loading:",
             "first check that the device runs it, with",
             "  show configuration groups netsep apply-macro netsep-provenance",
             "which must show the same policy digest. A policy this file names that the",
             "device does not have is reported by the load (statement not found)."});
        appendRecipe(a->content, fw, "kill switch");
    }
    for (const auto& pp : l.pairs)
        for (const auto& pol : pp.policies) {
            if (!pol.rule || pol.rule->killSwitch != group)
                continue;
            std::string path =
                fmt::format("groups {} security policies from-zone {} to-zone {} policy {}", kGroup,
                            pp.from, pp.to, pol.name);
            ks.disable.content += "deactivate " + path + "\n";
            ks.enable.content += "activate " + path + "\n";
        }
    return std::vector<Artifact>{std::move(ks.disable), std::move(ks.enable)};
}

} // namespace netsep::backends

namespace netsep::backends {

std::optional<std::vector<Artifact>>
JuniperSrxBackend::quarantineArtifacts(const LoweredFirewall& lowered,
                                       const lower::LoweredQuarantine& q) const {
    const lower::ExplicitAddresses explicitAddresses(lowered, lower::ListOut::Unexcludable);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, *this);
    const char* kFile = "juniper-srx-quarantine.set";
    const char* kRelease = "juniper-srx-quarantine-release.set";
    // The zones as emit() names them (same table, same order).
    vendor::NameTable zoneNames(kMaxName);
    zoneNames.reserve("junos-host");
    zoneNames.reserve("any");
    const vendor::NamedZones zones = vendor::nameZones(fw, zoneNames);
    std::set<std::string> access;
    for (const auto& a : q.access)
        access.insert(zones.of(a.zone, fw, kBackend));

    // Names: never one the compiled config uses.
    vendor::NameTable names(kMaxName, vendor::kOwnedPrefix);
    for (const auto& [n, v] : l.addresses)
        names.reserve(n);
    for (const auto& s : l.set)
        if (!s.empty())
            names.reserve(s);
    vendor::NameTable policyNames(kMaxName, vendor::kOwnedPrefix);
    for (const auto& pp : l.pairs)
        for (const auto& p : pp.policies)
            policyNames.reserve(p.name);

    struct Target {
        const lower::QuarantineTarget* t;
        std::string zone; // printed
        std::string set;  // "" without addresses
    };
    std::vector<std::pair<std::string, std::string>> addresses; // name, prefix
    std::vector<std::pair<std::string, std::vector<std::string>>> sets;
    std::vector<Target> targets;
    for (const auto& t : q.targets) {
        Target x{&t, zones.of(t.zone, fw, kBackend), {}};
        std::vector<std::string> members;
        for (const auto* list : {&t.v4, &t.v6})
            for (const auto& p : normalizePrefixes(*list)) {
                addresses.emplace_back(names.name("prefix", "quarantine-" + vendor::prefixName(p)),
                                       p.str());
                members.push_back(addresses.back().first);
            }
        if (!members.empty()) {
            x.set = names.name("set", std::string("quarantine-") + (t.group ? "group-" : "zone-") +
                                          t.name);
            sets.emplace_back(x.set, members);
        }
        targets.push_back(std::move(x));
    }

    // Per zone context of netsep's: what the quarantine denies there, ahead
    // of netsep's policies. A target zone's contexts deny everything except
    // an access zone's into it; elsewhere what comes from a target, and,
    // except from an access zone into the target's zone, what goes to it.
    struct Denial {
        std::string from, to, name, src, dst, before, description;
    };
    std::vector<Denial> denials;
    for (const auto& pp : l.pairs) {
        const std::string& first = pp.policies.front().name;
        for (const auto& x : targets) {
            const std::string label = std::string(x.t->group ? "group " : "zone ") + x.t->name;
            auto deny = [&](const std::string& what, const std::string& src, const std::string& dst,
                            const std::string& why) {
                denials.push_back(
                    {pp.from, pp.to,
                     policyNames.fresh("q-" + x.t->name + "-" + pp.from + "-" + pp.to + "-" + what),
                     src, dst, first,
                     vendor::text("netsep quarantine of " + label + ": " + why, kMaxDescription)});
            };
            const bool accessIn = access.count(pp.from) && pp.to == x.zone && pp.from != x.zone;
            if (!x.t->group && (pp.from == x.zone || pp.to == x.zone)) {
                if (!accessIn)
                    deny("all", "any", "any", "cut off");
                continue;
            }
            if (x.set.empty())
                continue;
            deny("src", x.set, "any", "nothing from its addresses");
            if (!accessIn)
                deny("dst", "any", x.set, "nothing to its addresses");
        }
    }

    std::string on, off;
    vendor::appendHeader(on, "#", fw,
                         "Quarantine: isolates the zones and groups below on this firewall.");
    vendor::appendHeader(off, "#", fw, "Quarantine release: back to exactly the compiled state.");
    for (std::string* s : {&on, &off}) {
        fmt::format_to(std::back_inserter(*s), "# Quarantines: {}\n", vendor::text(q.summary, 400));
        vendor::appendComment(
            *s, "#",
            {"It adds (the release deletes) deny policies netsep-q-* in the group netsep,",
             "each inserted by name before netsep's first policy of its zone context, and",
             "netsep-quarantine-* addresses and address-sets. It belongs to the compile",
             "named above; Junos cannot check that while loading: first check that the",
             "device runs it, with",
             "  show configuration groups netsep apply-macro netsep-provenance",
             "which must show the same policy digest. A load of juniper-srx.set rebuilds",
             "the group and so lifts the quarantine (docs/backends/juniper-srx.md,",
             "Quarantine)."});
        appendRecipe(*s, fw, "quarantine");
    }
    std::vector<std::string> clear;
    for (const auto& x : targets)
        for (const auto* list : {&x.t->v4, &x.t->v6})
            for (const auto& p : normalizePrefixes(*list))
                for (const char* side : {"source-prefix", "destination-prefix"})
                    clear.push_back(
                        fmt::format("#   clear security flow session {} {}", side, p.str()));
    vendor::appendComment(
        on, "#",
        {"Open sessions: Junos keeps the sessions a changed policy would now deny unless",
         "security policies policy-rematch is configured (off by default, device-wide: netsep",
         "does not set it). After the commit, cut them in operational mode:"});
    for (const auto& c : clear)
        on += c + "\n";
    on += "#\n";

    const std::string g = fmt::format("groups {} ", kGroup);
    for (const auto& [name, value] : addresses)
        fmt::format_to(std::back_inserter(on), "set {}security address-book global address {} {}\n",
                       g, name, value);
    for (const auto& [name, members] : sets)
        for (const auto& m : members)
            fmt::format_to(std::back_inserter(on),
                           "set {}security address-book global address-set {} address {}\n", g,
                           name, m);
    for (const auto& d : denials) {
        std::string head = fmt::format("{}security policies from-zone {} to-zone {} policy {}", g,
                                       d.from, d.to, d.name);
        fmt::format_to(std::back_inserter(on), "set {} description \"{}\"\n", head, d.description);
        fmt::format_to(std::back_inserter(on), "set {} match source-address {}\n", head, d.src);
        fmt::format_to(std::back_inserter(on), "set {} match destination-address {}\n", head,
                       d.dst);
        fmt::format_to(std::back_inserter(on), "set {} match application any\n", head);
        fmt::format_to(std::back_inserter(on), "set {} then deny\n", head);
        fmt::format_to(std::back_inserter(on), "set {} then log session-init\n", head);
        // New policies go to the end of their context: each goes, by name,
        // before netsep's first, so the quarantine's keep their order.
        fmt::format_to(std::back_inserter(on), "insert {} before policy {}\n", head, d.before);
        fmt::format_to(std::back_inserter(off), "delete {}\n", head);
    }
    for (const auto& [name, members] : sets)
        fmt::format_to(std::back_inserter(off),
                       "delete {}security address-book global address-set {}\n", g, name);
    for (const auto& [name, value] : addresses)
        fmt::format_to(std::back_inserter(off),
                       "delete {}security address-book global address {}\n", g, name);
    return std::vector<Artifact>{Artifact{kFile, std::move(on)},
                                 Artifact{kRelease, std::move(off)}};
}

} // namespace netsep::backends
