#include "backends/fortios/FortiosBackend.hpp"

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
using model::Family;
using model::Proto;

constexpr const char* kBackend = "fortios";
// Address, address-group and service names: up to 79 characters in FortiOS
// 7.x (63 in older releases; we stay within 63). Policy names and user
// group names: up to 35.
constexpr std::size_t kMaxName = 63;
constexpr std::size_t kMaxPolicyName = 35;
constexpr std::size_t kMaxComment = 255;
constexpr std::size_t kMaxPolicyComment = 1023;
constexpr const char* kAll4 = "netsep-all";
constexpr const char* kAll6 = "netsep-all6";
constexpr const char* kAnyService = "ip-all";
constexpr const char* kDenyPolicy = "netsep-default-deny";

struct Address {
    std::string name;
    std::vector<std::string> attrs; // "set subnet ...", "set type fqdn", ...
};

struct Group {
    std::string name;
    std::vector<std::string> members;
    std::string comment;
};

struct Service {
    std::string name;
    std::vector<std::string> attrs;
};

struct Policy {
    unsigned id = 0;
    std::string name;
    const LoweredRule* rule = nullptr; // null: the final deny
    std::vector<std::string> srcintf, dstintf;
    std::string srcaddr, dstaddr, srcaddr6, dstaddr6; // "" = unset
    std::string service, group, comment;
};

struct Layout {
    std::vector<Address> addr4, addr6;
    std::vector<Group> grp4, grp6;
    std::vector<std::string> g4, g6; // per object: group name or ""
    std::vector<Service> services;
    std::vector<Group> serviceGroups;
    std::vector<std::string> userGroups;
    std::vector<Policy> policies;
};

std::string quoted(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items)
        s += (s.empty() ? "\"" : " \"") + i + "\"";
    return s;
}

std::vector<std::string> serviceAttrs(const vendor::ServiceAtom& a) {
    switch (a.proto) {
    case Proto::Tcp:
    case Proto::Udp:
        return {
            "set protocol TCP/UDP/SCTP",
            fmt::format("set {}-portrange {}", vendor::protoWord(a.proto),
                        a.lo == a.hi ? fmt::format("{}", a.lo) : fmt::format("{}-{}", a.lo, a.hi))};
    case Proto::Icmp:
    case Proto::Icmpv6: {
        std::vector<std::string> v{a.proto == Proto::Icmp ? "set protocol ICMP"
                                                          : "set protocol ICMP6"};
        v.push_back(a.icmpType < 0 ? "unset icmptype" : fmt::format("set icmptype {}", a.icmpType));
        return v;
    }
    case Proto::Any:
        break;
    }
    return {"set protocol IP", "set protocol-number 0"};
}

Layout layoutOf(const LoweredFirewall& fw, const Capabilities& caps) {
    vendor::validate(fw, kBackend, caps);
    Layout l;

    // Addresses, address6 entries and both kinds of groups: one namespace.
    vendor::NameTable names(kMaxName);
    for (const char* r : {"all", "none", kAll4, kAll6})
        names.reserve(r);
    l.addr4.push_back({kAll4, {"set subnet 0.0.0.0 0.0.0.0"}});
    l.addr6.push_back({kAll6, {"set ip6 ::/0"}});
    std::set<std::string> defined; // address entries already printed
    auto addTo = [&](std::vector<Address>& table, const std::string& kind, const std::string& raw,
                     std::vector<std::string> attrs) {
        std::string n = names.name(kind, raw);
        if (defined.insert(n).second)
            table.push_back({n, std::move(attrs)});
        return n;
    };
    for (const auto& o : fw.objects) {
        std::vector<std::string> m4, m6;
        for (const auto& p : normalizePrefixes(o.v4))
            m4.push_back(
                addTo(l.addr4, "prefix", vendor::prefixName(p),
                      {fmt::format("set subnet {} {}", model::formatAddress(p.family, p.addr),
                                   vendor::v4Mask(p.len))}));
        for (const auto& f : o.fqdns)
            m4.push_back(addTo(l.addr4, "fqdn", vendor::fqdnName(f),
                               {"set type fqdn", fmt::format("set fqdn \"{}\"", f)}));
        for (const auto& p : normalizePrefixes(o.v6))
            m6.push_back(addTo(l.addr6, "prefix", vendor::prefixName(p),
                               {fmt::format("set ip6 {}", p.str())}));
        std::string comment = vendor::text("netsep address object " + o.name, kMaxComment);
        l.g4.push_back(m4.empty() ? std::string() : names.name("group4", o.name));
        l.g6.push_back(m6.empty() ? std::string() : names.name("group6", o.name + "-v6"));
        if (!m4.empty())
            l.grp4.push_back({l.g4.back(), m4, comment});
        if (!m6.empty())
            l.grp6.push_back({l.g6.back(), m6, comment});
    }

    // Custom services and service groups: one namespace.
    vendor::NameTable svcNames(kMaxName);
    svcNames.reserve("all");
    svcNames.reserve(kAnyService);
    l.services.push_back({kAnyService, serviceAttrs({})});
    std::unordered_set<std::string> serviceSeen, groupSeen, userSeen; // defined once each
    auto serviceOf = [&](const lower::Match& m) -> std::string {
        if (m.proto == Proto::Any)
            return kAnyService;
        std::vector<std::string> members;
        for (const auto& a : vendor::serviceAtoms(m)) {
            std::string n = svcNames.name("service", vendor::atomName(a));
            if (serviceSeen.insert(n).second)
                l.services.push_back({n, serviceAttrs(a)});
            members.push_back(n);
        }
        if (members.size() == 1)
            return members.front();
        std::string n = svcNames.name("group", "svc-" + vendor::matchName(m));
        if (groupSeen.insert(n).second)
            l.serviceGroups.push_back({n, members, {}});
        return n;
    };

    vendor::NameTable userNames(kMaxPolicyName);
    vendor::NameTable policyNames(kMaxPolicyName);
    policyNames.reserve(kDenyPolicy);
    unsigned id = 1;
    const auto raw = vendor::ruleNames(fw);
    for (std::size_t pi = 0; pi < fw.pairs.size(); ++pi)
        for (std::size_t ri = 0; ri < fw.pairs[pi].rules.size(); ++ri) {
            const auto& p = fw.pairs[pi];
            const auto& r = p.rules[ri];
            Policy pol;
            pol.id = id++;
            pol.name = policyNames.fresh(raw[pi][ri]);
            pol.rule = &r;
            pol.srcintf = p.inInterfaces;
            pol.dstintf = p.outInterfaces;
            if (!l.g4[r.src].empty() && !l.g4[r.dst].empty() &&
                protoFitsFamily(r.match.proto, Family::V4)) {
                pol.srcaddr = l.g4[r.src];
                pol.dstaddr = l.g4[r.dst];
            }
            if (!l.g6[r.src].empty() && !l.g6[r.dst].empty() &&
                protoFitsFamily(r.match.proto, Family::V6)) {
                pol.srcaddr6 = l.g6[r.src];
                pol.dstaddr6 = l.g6[r.dst];
            }
            if (pol.srcaddr.empty() && pol.srcaddr6.empty())
                throw std::invalid_argument(fmt::format(
                    "{} backend: firewall '{}': rule '{}' has no address family in common "
                    "between '{}' and '{}'",
                    kBackend, vendor::text(fw.name, 64), vendor::text(r.policyRule, 64),
                    vendor::text(fw.objects[r.src].name, 64),
                    vendor::text(fw.objects[r.dst].name, 64)));
            pol.service = serviceOf(r.match);
            if (!r.identity.empty()) {
                pol.group =
                    userNames.name("user", r.identityGroup.empty() ? r.identity : r.identityGroup);
                if (userSeen.insert(pol.group).second)
                    l.userGroups.push_back(pol.group);
            }
            pol.comment = vendor::ruleDescription(r, kMaxPolicyComment, true);
            l.policies.push_back(std::move(pol));
        }
    Policy deny;
    deny.id = id;
    deny.name = kDenyPolicy;
    deny.srcintf = deny.dstintf = {"any"};
    deny.srcaddr = deny.dstaddr = kAll4;
    deny.srcaddr6 = deny.dstaddr6 = kAll6;
    deny.service = kAnyService;
    deny.comment = "netsep default deny";
    l.policies.push_back(std::move(deny));
    return l;
}

void appendTable(std::string& out, const char* table, const std::vector<Address>& entries) {
    fmt::format_to(std::back_inserter(out), "config {}\n", table);
    for (const auto& e : entries) {
        fmt::format_to(std::back_inserter(out), "    edit \"{}\"\n", e.name);
        for (const auto& a : e.attrs)
            fmt::format_to(std::back_inserter(out), "        {}\n", a);
        out += "    next\n";
    }
    out += "end\n";
}

void appendGroups(std::string& out, const char* table, const std::vector<Group>& groups) {
    if (groups.empty())
        return;
    fmt::format_to(std::back_inserter(out), "config {}\n", table);
    for (const auto& g : groups) {
        fmt::format_to(std::back_inserter(out), "    edit \"{}\"\n", g.name);
        fmt::format_to(std::back_inserter(out), "        set member {}\n", quoted(g.members));
        if (!g.comment.empty())
            fmt::format_to(std::back_inserter(out), "        set comment \"{}\"\n", g.comment);
        out += "    next\n";
    }
    out += "end\n";
}

} // namespace

Capabilities FortiosBackend::capabilities() const {
    Capabilities c;
    c.identity = true; // user groups in policies
    c.fqdn = true;     // firewall address type fqdn
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    c.maxInterfaceName = 15;
    c.interfaceNameChars = "_.-";
    return c;
}

std::vector<Artifact> FortiosBackend::emit(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered); // no negated objects here yet
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string out;
    vendor::appendHeader(out, "#", fw, "FortiOS 7.x CLI (consolidated IPv4/IPv6 policy table).");
    out += "# Policies 1..N belong to netsep and are edited in place, in order. The last\n"
           "# one is an explicit logged deny.\n";
    appendTable(out, "firewall address", l.addr4);
    appendTable(out, "firewall address6", l.addr6);
    appendGroups(out, "firewall addrgrp", l.grp4);
    appendGroups(out, "firewall addrgrp6", l.grp6);
    out += "config firewall service custom\n";
    for (const auto& s : l.services) {
        fmt::format_to(std::back_inserter(out), "    edit \"{}\"\n", s.name);
        for (const auto& a : s.attrs)
            fmt::format_to(std::back_inserter(out), "        {}\n", a);
        out += "    next\n";
    }
    out += "end\n";
    appendGroups(out, "firewall service group", l.serviceGroups);
    if (!l.userGroups.empty()) {
        // Bind each group to the identity provider (FSSO, SAML or LDAP
        // members); netsep only names it.
        out += "config user group\n";
        for (const auto& g : l.userGroups)
            fmt::format_to(std::back_inserter(out), "    edit \"{}\"\n    next\n", g);
        out += "end\n";
    }
    out += "config firewall policy\n";
    for (const auto& p : l.policies) {
        bool accept = p.rule && p.rule->action == Action::Accept;
        bool log = !p.rule || p.rule->log;
        fmt::format_to(std::back_inserter(out), "    edit {}\n", p.id);
        fmt::format_to(std::back_inserter(out), "        set name \"{}\"\n", p.name);
        fmt::format_to(std::back_inserter(out), "        set srcintf {}\n", quoted(p.srcintf));
        fmt::format_to(std::back_inserter(out), "        set dstintf {}\n", quoted(p.dstintf));
        auto addr = [&](const char* field, const std::string& v) {
            if (v.empty())
                fmt::format_to(std::back_inserter(out), "        unset {}\n", field);
            else
                fmt::format_to(std::back_inserter(out), "        set {} \"{}\"\n", field, v);
        };
        addr("srcaddr", p.srcaddr);
        addr("dstaddr", p.dstaddr);
        addr("srcaddr6", p.srcaddr6);
        addr("dstaddr6", p.dstaddr6);
        fmt::format_to(std::back_inserter(out), "        set action {}\n",
                       accept ? "accept" : "deny");
        out += "        set schedule \"always\"\n";
        fmt::format_to(std::back_inserter(out), "        set service \"{}\"\n", p.service);
        addr("groups", p.group);
        fmt::format_to(std::back_inserter(out), "        set logtraffic {}\n",
                       log ? "all" : "disable");
        fmt::format_to(std::back_inserter(out), "        set comments \"{}\"\n", p.comment);
        out += "        set status enable\n";
        out += "    next\n";
    }
    out += "end\n";
    return {Artifact{"fortios.conf", std::move(out)}};
}

std::optional<std::vector<Artifact>>
FortiosBackend::killSwitchArtifacts(const LoweredFirewall& lowered,
                                    const std::string& group) const {
    const lower::ExplicitAddresses explicitAddresses(lowered);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string file = vendor::mangle(group, 64);
    struct {
        Artifact disable, enable;
    } ks;
    ks.disable.path = fmt::format("fortios-killswitch-{}-disable.conf", file);
    ks.enable.path = fmt::format("fortios-killswitch-{}-enable.conf", file);
    vendor::appendHeader(ks.disable.content, "#", fw,
                         "Kill switch: disables every policy of kill-switch group " +
                             vendor::text(group, 100) + ".");
    vendor::appendHeader(ks.enable.content, "#", fw,
                         "Kill switch: enables every policy of kill-switch group " +
                             vendor::text(group, 100) + ".");
    ks.disable.content += "config firewall policy\n";
    ks.enable.content += "config firewall policy\n";
    for (const auto& p : l.policies) {
        if (!p.rule || p.rule->killSwitch != group)
            continue;
        ks.disable.content +=
            fmt::format("    edit {}\n        set status disable\n    next\n", p.id);
        ks.enable.content +=
            fmt::format("    edit {}\n        set status enable\n    next\n", p.id);
    }
    ks.disable.content += "end\n";
    ks.enable.content += "end\n";
    return std::vector<Artifact>{std::move(ks.disable), std::move(ks.enable)};
}

} // namespace netsep::backends
