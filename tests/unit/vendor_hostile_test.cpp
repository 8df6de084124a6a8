// Vendor backends against hostile strings in the lowered struct (the attack
// surface: names, file:line, kill-switch groups and identities that the
// policy language would reject). Nothing may add a line, break out of a
// quoted string, or start a command of its own; the shared name mangling
// stays valid, deterministic and collision-free. The structural and
// semantic checks of the same firewall are in vendor_equivalence_test.cpp.
#include "backends/Backend.hpp"
#include "backends/common/VendorCommon.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace netsep;
using lower::LoweredFirewall;
using model::Proto;

namespace {

model::IpPrefix pfx(const char* text) {
    std::string err;
    auto p = model::parsePrefix(text, err);
    REQUIRE_MESSAGE(p.has_value(), err);
    return *p;
}

struct Strings {
    std::string fw, policy, zIn, zDmz, zCore, web, saas, deny, allow, identity, where, group;
};

const Strings kBenign = {"fw", "pol",       "inside", "dmz", "core",    "web",
                         "ai", "no-telnet", "web-in", "soc", "a.nsp:1", "ai-egress"};

const Strings kHostile = {"fw\n; rm -rf / #",
                          "p\"olicy`$(reboot)`",
                          "in\"side\nset system root-authentication plain-text-password",
                          "dmz}{ delete security",
                          "core;end\nconfig system admin\n",
                          "web\" static [ any ]\nset address-group x",
                          "\\\"ai\\\"\r\n!",
                          "no-telnet\"; delete security policies; \"",
                          "web\n}\nend\nconfig firewall policy\npurge",
                          "soc\\\" admin\n",
                          "bank.nsp\nset security policies default-policy permit-all:12",
                          "ai\"\negress; rm -rf /"};

// Interface names each platform accepts (netsep checks them, never mangles).
std::vector<std::string> interfacesOf(const std::string& vendor) {
    if (vendor == "juniper-srx")
        return {"ge-0/0/0.0", "ge-0/0/1.0", "ge-0/0/2.0"};
    if (vendor == "paloalto")
        return {"ethernet1/1", "ethernet1/2", "ethernet1/3"};
    return {"eth0", "eth1", "eth2"};
}

LoweredFirewall build(const Strings& s, bool icmpTypes = true,
                      const std::vector<std::string>& ifs = interfacesOf("")) {
    LoweredFirewall fw;
    fw.name = s.fw;
    fw.policyName = s.policy;
    fw.interfaces = {{ifs[0], s.zIn}, {ifs[1], s.zDmz}, {ifs[2], s.zCore}};
    auto obj = [](std::string name, std::vector<const char*> v4, std::vector<const char*> v6) {
        lower::AddressObject o;
        o.name = std::move(name);
        for (auto* t : v4)
            o.v4.push_back(pfx(t));
        for (auto* t : v6)
            o.v6.push_back(pfx(t));
        return o;
    };
    fw.objects = {obj("zone-" + s.zIn, {"0.0.0.0/5"}, {"3000::/4"}),
                  obj("zone-" + s.zDmz, {"192.0.2.0/24"}, {"2001:db8:2::/64"}),
                  obj("zone-" + s.zCore, {"10.10.0.0/16"}, {"fd00:10::/48"}),
                  obj("group-" + s.web, {"192.0.2.10/31"}, {"2001:db8:2::10/128"}),
                  obj("saas-" + s.saas, {"198.51.100.0/24"}, {})};
    fw.objects[4].fqdns = {"api.example.com"};
    auto rule = [&](lower::Action a, const std::string& name, uint32_t src, uint32_t dst,
                    Proto proto, std::vector<model::PortRange> ports, bool v6) {
        lower::LoweredRule r;
        r.action = a;
        r.kind = a == lower::Action::Drop ? model::RuleKind::Deny : model::RuleKind::Access;
        r.policyRule = name;
        r.where = s.where;
        r.src = src;
        r.dst = dst;
        r.match.proto = proto;
        r.match.ports = std::move(ports);
        r.v4 = true;
        r.v6 = v6;
        r.log = true;
        return r;
    };
    using lower::Action;
    lower::ZonePair inDmz{s.zIn, s.zDmz, {ifs[0]}, {ifs[1]}, {}};
    inDmz.rules.push_back(rule(Action::Drop, s.deny, 0, 1, Proto::Tcp, {{23, 23}}, true));
    inDmz.rules.push_back(
        rule(Action::Accept, s.allow, 0, 3, Proto::Tcp, {{443, 443}, {8000, 8010}}, true));
    lower::ZonePair dmzCore{s.zDmz, s.zCore, {ifs[1]}, {ifs[2]}, {}};
    auto tri = rule(Action::Accept, s.allow + "2", 3, 2, Proto::Tcp, {{5432, 5432}}, true);
    tri.identity = s.identity;
    dmzCore.rules.push_back(tri);
    lower::ZonePair coreIn{s.zCore, s.zIn, {ifs[2]}, {ifs[0]}, {}};
    auto ks = rule(Action::Accept, s.allow + "3", 2, 4, Proto::Tcp, {{443, 443}}, false);
    ks.kind = model::RuleKind::Exception;
    ks.killSwitch = s.group;
    coreIn.rules.push_back(ks);
    auto icmp = rule(Action::Accept, s.allow + "4", 2, 0, Proto::Icmp, {}, false);
    if (icmpTypes) { // PAN-OS cannot match ICMP types (capability check)
        icmp.match.icmpTypes = {8};
        icmp.match.icmpNames = {"echo-request\n"};
    }
    coreIn.rules.push_back(icmp);
    fw.pairs = {inDmz, dmzCore, coreIn};
    fw.killSwitchGroups = {s.group};
    return fw;
}

const std::vector<std::string> kVendors = {"cisco-asa", "juniper-srx", "paloalto", "fortios"};

// What a line of each vendor's output may start with. Anything else would
// be a command netsep did not mean to print.
const std::vector<std::string>& linePrefixes(const std::string& vendor) {
    static const std::map<std::string, std::vector<std::string>> prefixes = {
        {"cisco-asa",
         {"! ", "!", "object network ", " fqdn v4 ", "object-group network ", " description ",
          " network-object ", "object-group service ", " service-object ", "time-range ",
          " absolute ", "access-list ", "access-group ", "clear configure access-list ",
          "no object-group ", "no object network ", "no time-range "}},
        {"juniper-srx",
         {"# ", "#", "delete groups netsep", "set groups netsep ", "set apply-groups netsep",
          "deactivate groups netsep security policies ",
          "activate groups netsep security policies "}},
        {"paloalto",
         {"set tag ", "delete rulebase security rules ", "delete address-group ",
          "delete service-group ", "delete address ", "delete service ", "delete tag ", "set zone ",
          "set address ", "set address-group ", "set service ", "set service-group ",
          "set rulebase security rules ", "move rulebase security rules "}},
        {"paloalto-README.txt", {"# ", "#"}},
        {"fortios",
         {"# ", "#", "config firewall ", "config user group", "    edit ", "        set ",
          "        unset ", "    next", "    move ", "    delete ", "end"}},
    };
    return prefixes.at(vendor);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    CHECK_MESSAGE(cur.empty(), "output does not end in a newline");
    return out;
}

void checkLines(const std::string& vendor, const std::string& path, const std::string& text) {
    CAPTURE(vendor);
    CAPTURE(path);
    for (const auto& l : lines(text)) {
        CAPTURE(l);
        for (char c : l) {
            auto u = static_cast<unsigned char>(c);
            REQUIRE_MESSAGE((u >= 0x20 && u < 0x7f), "control or non-ASCII byte");
            REQUIRE_MESSAGE(c != '\\', "backslash");
            REQUIRE_MESSAGE((c != ';' && c != '`' && c != '$' && c != '{' && c != '}'),
                            "shell or Junos metacharacter");
        }
        // Quotes pair up, and a quoted string is a whole word.
        std::size_t quotes = std::count(l.begin(), l.end(), '"');
        REQUIRE(quotes % 2 == 0);
        for (std::size_t i = 0; i < l.size(); ++i)
            if (l[i] == '"') {
                std::size_t j = l.find('"', i + 1);
                REQUIRE((i == 0 || l[i - 1] == ' '));
                REQUIRE((j + 1 == l.size() || l[j + 1] == ' '));
                i = j;
            }
        bool known = false;
        for (const auto& p : linePrefixes(path == "paloalto-README.txt" ? path : vendor))
            known = known || l.rfind(p, 0) == 0;
        REQUIRE_MESSAGE(known, "line starts with an unexpected command");
    }
}

std::vector<backends::Artifact> allArtifacts(const backends::Backend& b,
                                             const LoweredFirewall& fw) {
    auto arts = b.emit(fw);
    for (const auto& g : fw.killSwitchGroups) {
        auto ks = b.killSwitchArtifacts(fw, g);
        REQUIRE(ks.has_value());
        arts.insert(arts.end(), ks->begin(), ks->end());
    }
    return arts;
}

void dump(const std::string& tag, const std::vector<backends::Artifact>& arts) {
    // NETSEP_VENDOR_DUMP=DIR writes the outputs for review.
    const char* dir = std::getenv("NETSEP_VENDOR_DUMP");
    if (!dir)
        return;
    std::filesystem::create_directories(std::filesystem::path(dir) / tag);
    for (const auto& a : arts)
        std::ofstream(std::filesystem::path(dir) / tag / a.path, std::ios::binary) << a.content;
}

} // namespace

TEST_CASE("vendor hostile strings: no line, quote or command can be injected") {
    for (const auto& name : kVendors) {
        CAPTURE(name);
        const backends::Backend* b = backends::findBackend(name);
        REQUIRE(b);
        LoweredFirewall hostile = build(kHostile, b->capabilities().icmpTypes, interfacesOf(name));
        LoweredFirewall benign = build(kBenign, b->capabilities().icmpTypes, interfacesOf(name));
        auto bad = allArtifacts(*b, hostile);
        auto good = allArtifacts(*b, benign);
        dump(name + "-hostile", bad);
        dump(name + "-benign", good);
        REQUIRE(bad.size() == good.size());
        for (std::size_t i = 0; i < bad.size(); ++i) {
            checkLines(name, bad[i].path, bad[i].content);
            checkLines(name, good[i].path, good[i].content);
            // Hostile text never adds or removes a line.
            CHECK(lines(bad[i].content).size() == lines(good[i].content).size());
            // File names stay inside the output directory and plain.
            CHECK(bad[i].path.find('/') == std::string::npos);
            CHECK(bad[i].path.find("..") == std::string::npos);
            for (char c : bad[i].path)
                CHECK((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                       c == '.'));
        }
        // Traceability survives sanitising: the rule name and file:line are
        // still readable in the main artifact.
        CHECK(bad[0].content.find("no-telnet_") != std::string::npos);
        CHECK(bad[0].content.find("bank.nsp_set security policies") != std::string::npos);
        // Deterministic bytes.
        auto again = allArtifacts(*b, hostile);
        for (std::size_t i = 0; i < bad.size(); ++i)
            CHECK(bad[i].content == again[i].content);
    }
}

TEST_CASE("vendor hostile strings: values printed verbatim are refused, not printed") {
    for (const auto& name : kVendors) {
        CAPTURE(name);
        const backends::Backend* b = backends::findBackend(name);
        REQUIRE(b);
        bool types = b->capabilities().icmpTypes;
        const auto ifs = interfacesOf(name);
        LoweredFirewall fw = build(kBenign, types, ifs);
        fw.interfaces[0].name = ifs[0] + "\nset system";
        fw.pairs[0].inInterfaces = {ifs[0] + "\nset system"};
        CHECK_THROWS_AS(b->emit(fw), std::invalid_argument);
        fw = build(kBenign, types, ifs);
        fw.objects[4].fqdns = {"api.example.com\"\nset"};
        CHECK_THROWS_AS(b->emit(fw), std::invalid_argument);
        fw = build(kBenign, types, ifs);
        fw.pairs[0].rules[0].dst = 99;
        CHECK_THROWS_AS(b->emit(fw), std::invalid_argument);
        fw = build(kBenign, types, ifs);
        fw.pairs[0].outInterfaces = {"eth9"};
        CHECK_THROWS_AS(b->emit(fw), std::invalid_argument);
    }
}

TEST_CASE("vendor names: mangling is valid, deterministic and collision-free") {
    using backends::vendor::isPlainName;
    using backends::vendor::mangle;
    using backends::vendor::NameTable;
    CHECK(mangle("zone-app", 63) == "zone-app");
    CHECK(mangle("zone-app", 5) != "zone-app");
    CHECK(mangle("zone-app", 5) == mangle("zone-app", 5));
    std::mt19937 rng(1);
    std::set<std::string> raws, names;
    for (int i = 0; i < 5000; ++i) {
        std::string raw;
        int len = static_cast<int>(rng() % 90);
        for (int k = 0; k < len; ++k)
            raw.push_back(static_cast<char>(rng() % 256));
        for (std::size_t max : {15u, 31u, 35u, 63u, 64u}) {
            std::string n = mangle(raw, max);
            CHECK(isPlainName(n, max));
        }
        if (raws.insert(raw).second)
            names.insert(mangle(raw, 63));
    }
    CHECK(names.size() == raws.size());
    // Raw names that differ only in characters that get replaced.
    CHECK(mangle("a;b", 63) != mangle("a|b", 63));
    CHECK(mangle("a b", 63) != mangle("a_b", 63));
    // A table never hands out one name twice, not even in another case.
    NameTable t(10);
    t.reserve("any");
    std::set<std::string> given;
    for (const char* raw : {"ANY", "any", "Web", "web", "WEB", "a-very-long-name-1",
                            "a-very-long-name-2", "a-very-long-name-1"}) {
        std::string n = t.fresh(raw);
        CHECK(isPlainName(n, 10));
        std::string low = n;
        for (char& c : low)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(given.insert(low).second);
    }
    CHECK(t.name("k", "x") == t.name("k", "x"));
    CHECK(t.name("k", "y") != t.name("j", "y"));
}

TEST_CASE("vendor text: free text is stripped of everything that could end a string or line") {
    std::mt19937 rng(2);
    for (int i = 0; i < 2000; ++i) {
        std::string raw;
        int len = static_cast<int>(rng() % 300);
        for (int k = 0; k < len; ++k)
            raw.push_back(static_cast<char>(rng() % 256));
        std::string t = backends::vendor::text(raw, 100);
        CHECK(t.size() <= 100);
        for (char c : t) {
            auto u = static_cast<unsigned char>(c);
            CHECK((u >= 0x20 && u < 0x7f));
            CHECK(std::string("\"'\\#;!{}$`[]|&<>").find(c) == std::string::npos);
        }
    }
    CHECK(backends::vendor::text("policy rule web-in at bank.nsp:33", 100) ==
          "policy rule web-in at bank.nsp:33");
}
