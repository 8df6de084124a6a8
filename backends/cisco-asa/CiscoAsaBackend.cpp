#include "backends/cisco-asa/CiscoAsaBackend.hpp"

#include "backends/common/VendorCommon.hpp"
#include "lower/ExplicitAddresses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <unordered_set>

namespace netsep::backends {

namespace {

using lower::Action;
using lower::LoweredFirewall;
using lower::LoweredRule;
using model::Proto;

constexpr const char* kBackend = "cisco-asa";
// Object and object-group names: up to 64 characters (one namespace).
constexpr std::size_t kMaxName = 64;
// Interface names (nameif): up to 48 characters.
constexpr std::size_t kMaxNameif = 48;
// ACL remarks: up to 100 characters; object-group descriptions: 200.
constexpr std::size_t kMaxRemark = 100;
constexpr std::size_t kMaxDescription = 200;

// One line of an ACL (the text after "access-list NAME ").
struct AclLine {
    std::string body;
    const LoweredRule* rule = nullptr; // ACEs of policy rules; null for remarks and the deny
};

struct Acl {
    std::string name;
    std::string zone;
    std::vector<std::string> nameifs; // bound in interface order
    std::vector<AclLine> lines;
};

struct ServiceGroup {
    std::string name;
    std::vector<std::string> lines; // " service-object ..."
};

// Every name and line of one firewall's config, computed once so that emit()
// and killSwitch() agree.
struct Layout {
    std::vector<std::string> nameif;                              // per fw.interfaces
    std::vector<std::pair<std::string, std::string>> fqdnObjects; // (name, fqdn)
    std::vector<std::string> group;                // per object; "" when it has no members
    std::vector<std::vector<std::string>> members; // per object: " network-object ..." lines
    std::vector<ServiceGroup> services;
    std::vector<Acl> acls;
};

std::string serviceObjectLine(const vendor::ServiceAtom& a) {
    const char* p = vendor::protoWord(a.proto);
    switch (a.proto) {
    case Proto::Tcp:
    case Proto::Udp:
        if (a.allPorts())
            return fmt::format(" service-object {}", p);
        if (a.lo == a.hi)
            return fmt::format(" service-object {} destination eq {}", p, a.lo);
        return fmt::format(" service-object {} destination range {} {}", p, a.lo, a.hi);
    case Proto::Icmp:
    case Proto::Icmpv6:
        if (a.icmpType < 0)
            return fmt::format(" service-object {}", p);
        return fmt::format(" service-object {} {}", p, a.icmpType);
    case Proto::Any:
        break;
    }
    return " service-object ip";
}

std::string networkObjectLine(const model::IpPrefix& p) {
    bool v4 = p.family == model::Family::V4;
    std::string addr = model::formatAddress(p.family, p.addr);
    if (p.len == (v4 ? 32 : 128))
        return fmt::format(" network-object host {}", addr);
    if (v4)
        return fmt::format(" network-object {} {}", addr, vendor::v4Mask(p.len));
    return fmt::format(" network-object {}/{}", addr, p.len);
}

Layout layoutOf(const LoweredFirewall& fw, const Capabilities& caps) {
    vendor::validate(fw, kBackend, caps);
    Layout l;

    vendor::NameTable nameifs(kMaxNameif);
    auto zones = vendor::zonesOf(fw);
    for (const auto& i : fw.interfaces) {
        const auto& z = *std::find_if(zones.begin(), zones.end(),
                                      [&](const auto& z) { return z.zone == i.zone; });
        std::string raw =
            z.interfaces.size() == 1
                ? z.zone
                : fmt::format("{}-{}", z.zone,
                              std::find(z.interfaces.begin(), z.interfaces.end(), i.name) -
                                  z.interfaces.begin() + 1);
        l.nameif.push_back(nameifs.fresh(raw));
    }

    vendor::NameTable names(kMaxName);
    for (const char* r : {"any", "any4", "any6", "host", "object", "object-group", "interface"})
        names.reserve(r);
    // Names already defined, so each object is printed once.
    std::unordered_set<std::string> fqdnSeen, serviceSeen;
    for (const auto& o : fw.objects) {
        std::vector<std::string> lines;
        for (const auto* list : {&o.v4, &o.v6})
            for (const auto& p : normalizePrefixes(*list))
                lines.push_back(networkObjectLine(p));
        for (const auto& f : o.fqdns) {
            std::string n = names.name("fqdn", vendor::fqdnName(f));
            if (fqdnSeen.insert(n).second)
                l.fqdnObjects.emplace_back(n, f);
            lines.push_back(" network-object object " + n);
        }
        l.group.push_back(lines.empty() ? std::string() : names.name("group", o.name));
        l.members.push_back(std::move(lines));
    }

    auto serviceOf = [&](const lower::Match& m) -> std::string {
        if (m.proto == Proto::Any)
            return "ip";
        std::string n = names.name("service", "svc-" + vendor::matchName(m));
        if (serviceSeen.insert(n).second) {
            ServiceGroup g{n, {}};
            for (const auto& a : vendor::serviceAtoms(m))
                g.lines.push_back(serviceObjectLine(a));
            l.services.push_back(std::move(g));
        }
        return "object-group " + n;
    };
    auto groupOf = [&](uint32_t obj, const LoweredRule& r) {
        if (l.group[obj].empty())
            throw std::invalid_argument(fmt::format(
                "{} backend: firewall '{}': rule '{}' uses address object '{}' without addresses",
                kBackend, vendor::text(fw.name, 64), vendor::text(r.policyRule, 64),
                vendor::text(fw.objects[obj].name, 64)));
        return "object-group " + l.group[obj];
    };

    vendor::NameTable aclNames(kMaxName);
    for (const auto& z : zones) {
        Acl acl;
        acl.zone = z.zone;
        acl.name = aclNames.fresh("netsep-" + z.zone + "-in");
        for (std::size_t i = 0; i < fw.interfaces.size(); ++i)
            if (fw.interfaces[i].zone == z.zone)
                acl.nameifs.push_back(l.nameif[i]);
        for (const auto& p : fw.pairs) {
            if (p.fromZone != z.zone)
                continue;
            for (const auto& r : p.rules) {
                acl.lines.push_back(
                    {"remark " + vendor::ruleDescription(r, kMaxRemark, false), nullptr});
                std::string ace = fmt::format(
                    "extended {} {} {} {}", r.action == Action::Accept ? "permit" : "deny",
                    serviceOf(r.match), groupOf(r.src, r), groupOf(r.dst, r));
                if (r.log)
                    ace += " log";
                acl.lines.push_back({std::move(ace), &r});
            }
        }
        acl.lines.push_back(
            {"remark " + vendor::text("netsep default deny for traffic entering zone " + z.zone,
                                      kMaxRemark),
             nullptr});
        acl.lines.push_back({"extended deny ip any any log", nullptr});
        l.acls.push_back(std::move(acl));
    }
    return l;
}

} // namespace

Capabilities CiscoAsaBackend::capabilities() const {
    Capabilities c;
    c.identity = false; // identity firewall ACEs (user-group) are not emitted
    c.fqdn = true;      // object network ... fqdn
    c.ipv6 = true;
    c.portRanges = true;
    c.icmpTypes = true;
    c.logging = true;
    c.maxInterfaceName = 64;
    c.interfaceNameChars = "/.-";
    return c;
}

std::vector<Artifact> CiscoAsaBackend::emit(const LoweredFirewall& lowered) const {
    const lower::ExplicitAddresses explicitAddresses(lowered); // no negated objects here yet
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string out;
    vendor::appendHeader(out, "!", fw,
                         "Cisco ASA 9.x global configuration commands (unified IPv4/IPv6 ACLs).");
    out += "! Every interface gets the inbound ACL of its zone, ending in a logged deny.\n"
           "! All interfaces share security level 0, so only the ACLs decide.\n"
           "!\n";
    for (std::size_t i = 0; i < fw.interfaces.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "interface {}\n", fw.interfaces[i].name);
        fmt::format_to(std::back_inserter(out), " nameif {}\n", l.nameif[i]);
        out += " security-level 0\n";
        out += "!\n";
    }
    out += "same-security-traffic permit inter-interface\n!\n";

    for (const auto& [name, fqdn] : l.fqdnObjects) {
        fmt::format_to(std::back_inserter(out), "object network {}\n", name);
        fmt::format_to(std::back_inserter(out), " fqdn v4 {}\n", fqdn);
    }
    for (std::size_t i = 0; i < fw.objects.size(); ++i) {
        if (l.group[i].empty())
            continue;
        fmt::format_to(std::back_inserter(out), "object-group network {}\n", l.group[i]);
        fmt::format_to(
            std::back_inserter(out), " description {}\n",
            vendor::text("netsep address object " + fw.objects[i].name, kMaxDescription));
        for (const auto& line : l.members[i])
            out += line + "\n";
    }
    for (const auto& s : l.services) {
        fmt::format_to(std::back_inserter(out), "object-group service {}\n", s.name);
        for (const auto& line : s.lines)
            out += line + "\n";
    }
    out += "!\n";
    for (const auto& acl : l.acls) {
        for (const auto& line : acl.lines)
            fmt::format_to(std::back_inserter(out), "access-list {} {}\n", acl.name, line.body);
        out += "!\n";
    }
    for (const auto& acl : l.acls)
        for (const auto& n : acl.nameifs)
            fmt::format_to(std::back_inserter(out), "access-group {} in interface {}\n", acl.name,
                           n);
    return {Artifact{"cisco-asa.cfg", std::move(out)}};
}

std::optional<std::vector<Artifact>>
CiscoAsaBackend::killSwitchArtifacts(const LoweredFirewall& lowered,
                                     const std::string& group) const {
    const lower::ExplicitAddresses explicitAddresses(lowered);
    const LoweredFirewall& fw = explicitAddresses.firewall();
    const Layout l = layoutOf(fw, capabilities());
    std::string file = vendor::mangle(group, 64);
    struct {
        Artifact disable, enable;
    } ks;
    ks.disable.path = fmt::format("cisco-asa-killswitch-{}-disable.cfg", file);
    ks.enable.path = fmt::format("cisco-asa-killswitch-{}-enable.cfg", file);
    std::string& off = ks.disable.content;
    std::string& on = ks.enable.content;
    vendor::appendHeader(off, "!", fw,
                         "Kill switch: removes every ACE of kill-switch group " +
                             vendor::text(group, 100) + ".");
    vendor::appendHeader(on, "!", fw,
                         "Kill switch: re-inserts every ACE of kill-switch group " +
                             vendor::text(group, 100) + " at its position.");
    for (const auto& acl : l.acls) {
        for (std::size_t i = 0; i < acl.lines.size(); ++i) {
            const auto& line = acl.lines[i];
            if (!line.rule || line.rule->killSwitch != group)
                continue;
            fmt::format_to(std::back_inserter(off), "no access-list {} {}\n", acl.name, line.body);
            // Ascending line numbers: each insertion restores one position,
            // the lines before it being already back in place.
            fmt::format_to(std::back_inserter(on), "access-list {} line {} {}\n", acl.name, i + 1,
                           line.body);
        }
    }
    return std::vector<Artifact>{std::move(ks.disable), std::move(ks.enable)};
}

} // namespace netsep::backends
