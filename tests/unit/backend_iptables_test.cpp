// Unit tests for the iptables backend: hand-built LoweredFirewall values in,
// iptables-restore text out; plus a real load of both families into a
// throwaway network namespace.
#include "backends/EmitUtil.hpp"
#include "backends/common/Hash8.hpp"
#include "backends/iptables/IptablesBackend.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace netsep;
using lower::LoweredFirewall;
using lower::LoweredRule;

namespace {

model::IpPrefix pfx(const char* text) {
    std::string err;
    auto p = model::parsePrefix(text, err);
    REQUIRE_MESSAGE(p.has_value(), err);
    return *p;
}

lower::AddressObject obj(std::string name, std::vector<const char*> v4,
                         std::vector<const char*> v6 = {}) {
    lower::AddressObject o;
    o.name = std::move(name);
    for (auto* t : v4)
        o.v4.push_back(pfx(t));
    for (auto* t : v6)
        o.v6.push_back(pfx(t));
    return o;
}

LoweredRule rule(lower::Action a, std::string name, uint32_t src, uint32_t dst, model::Proto proto,
                 std::vector<model::PortRange> ports, bool v4 = true, bool v6 = false) {
    LoweredRule r;
    r.action = a;
    r.kind = a == lower::Action::Drop ? model::RuleKind::Deny : model::RuleKind::Access;
    r.policyRule = std::move(name);
    r.where = "bank.nsp:" + std::to_string(10 + src * 3 + dst);
    r.src = src;
    r.dst = dst;
    r.match.proto = proto;
    r.match.ports = std::move(ports);
    r.v4 = v4;
    r.v6 = v6;
    return r;
}

enum Obj : uint32_t { Internet, Dmz, Web, App, Core, Secops, Scanners, Claude };

// A firewall in the shape of the teaching example.
LoweredFirewall sample() {
    LoweredFirewall fw;
    fw.name = "fw";
    fw.policyName = "acme-bank";
    fw.backends = {"nftables"};
    fw.interfaces = {{"eth0", "internet"},
                     {"eth1", "dmz"},
                     {"eth2", "app"},
                     {"eth3", "core"},
                     {"eth4", "secops"}};
    fw.objects = {
        obj("zone-internet", {"0.0.0.0/0"}, {"::/0"}),
        obj("zone-dmz", {"192.0.2.0/24"}),
        obj("group-web", {"192.0.2.10", "192.0.2.11"}),
        obj("zone-app", {"10.1.0.0/16"}),
        obj("zone-core", {"10.10.0.0/16"}, {"fd00:10::/48"}),
        obj("zone-secops", {"10.20.0.0/24"}, {"fd00:20::/64"}),
        obj("group-scanners", {"10.20.0.16/28"}),
        obj("saas-claude-api", {"160.79.104.0/23"}),
    };
    fw.objects.back().fqdns = {"api.anthropic.com"};
    using lower::Action;
    using model::Proto;

    lower::ZonePair inetDmz{"internet", "dmz", {"eth0"}, {"eth1"}, {}};
    inetDmz.rules.push_back(rule(Action::Drop, "no-telnet", Internet, Dmz, Proto::Tcp, {{23, 23}}));
    auto webIn = rule(Action::Accept, "web-in", Internet, Web, Proto::Tcp, {{443, 443}});
    webIn.log = true;
    inetDmz.rules.push_back(webIn);

    lower::ZonePair inetCore{"internet", "core", {"eth0"}, {"eth3"}, {}};
    inetCore.rules.push_back(
        rule(Action::Drop, "no-core", Internet, Core, Proto::Any, {}, true, true));

    lower::ZonePair dmzApp{"dmz", "app", {"eth1"}, {"eth2"}, {}};
    dmzApp.rules.push_back(
        rule(Action::Accept, "web-app", Web, App, Proto::Tcp, {{443, 443}, {1000, 2000}}));

    lower::ZonePair secopsCore{"secops", "core", {"eth4"}, {"eth3"}, {}};
    auto triage = rule(Action::Accept, "soc-triage", Secops, Core, Proto::Tcp, {{443, 443}});
    triage.identity = "soc-analyst";
    secopsCore.rules.push_back(triage);
    auto ping6 = rule(Action::Accept, "ping6", Secops, Core, Proto::Icmpv6, {}, false, true);
    ping6.match.icmpTypes = {128, 135, 200};
    ping6.match.icmpNames = {"echo-request", "nd-neighbor-solicit", "200"};
    secopsCore.rules.push_back(ping6);

    lower::ZonePair secopsInet{"secops", "internet", {"eth4"}, {"eth0"}, {}};
    auto ping = rule(Action::Accept, "ping-out", Secops, Internet, Proto::Icmp, {});
    ping.match.icmpTypes = {8};
    ping.match.icmpNames = {"echo-request"};
    secopsInet.rules.push_back(ping);
    auto scan = rule(Action::Accept, "ai-vuln-scan", Scanners, Claude, Proto::Tcp, {{443, 443}});
    scan.kind = model::RuleKind::Exception;
    scan.killSwitch = "ai-egress";
    scan.log = true;
    secopsInet.rules.push_back(scan);
    auto scanDns = rule(Action::Accept, "ai-vuln-scan", Scanners, Claude, Proto::Udp, {{53, 53}});
    scanDns.kind = model::RuleKind::Exception;
    scanDns.killSwitch = "ai-egress";
    secopsInet.rules.push_back(scanDns);

    fw.pairs = {inetCore, inetDmz, dmzApp, secopsCore, secopsInet};
    fw.killSwitchGroups = {"ai-egress"};
    fw.switchGroups = fw.killSwitchGroups;
    return fw;
}

struct Files {
    std::string v4, v6, sets; // sets: ipset.rules, "" when the rules match none
};

Files emitIpt(const LoweredFirewall& fw) {
    auto arts = backends::IptablesBackend().emit(fw);
    REQUIRE((arts.size() == 3 || arts.size() == 4));
    CHECK(arts[0].path == "iptables.rules");
    CHECK(arts[1].path == "ip6tables.rules");
    CHECK(arts[2].path == "iptables-load.sh");
    if (arts.size() == 4)
        CHECK(arts[3].path == "ipset.rules");
    return {arts[0].content, arts[1].content, arts.size() == 4 ? arts[3].content : ""};
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

// Rules appended to CHAIN, in order.
std::vector<std::string> chainRules(const std::string& text, const std::string& chain) {
    std::vector<std::string> out;
    for (const auto& l : lines(text))
        if (l.rfind("-A " + chain + " ", 0) == 0)
            out.push_back(l);
    return out;
}

// Declared user chains (":NAME - [0:0]").
std::vector<std::string> declaredChains(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& l : lines(text))
        if (l.size() > 1 && l[0] == ':' && l.find(" - [0:0]") != std::string::npos)
            out.push_back(l.substr(1, l.find(' ') - 1));
    return out;
}

// Every chain of the sample firewall "fw" starts with this.
const std::string P = "ns_fw_";

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

bool haveTool(const char* tool) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", tool).c_str()) == 0;
}

std::string writeTemp(const std::string& name, const std::string& content) {
    auto path =
        std::filesystem::temp_directory_path() / fmt::format("netsep-ipt-{}-{}", ::getpid(), name);
    std::ofstream(path) << content;
    return path.string();
}

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// A network namespace deleted on scope exit, also when a check fails.
struct NetNs {
    std::string name;
    bool ok = false;
    explicit NetNs(std::string n) : name(std::move(n)) {
        ok = run(fmt::format("ip netns add {}", name)) == 0;
    }
    ~NetNs() {
        if (ok)
            run(fmt::format("ip netns del {}", name));
    }
    NetNs(const NetNs&) = delete;
    NetNs& operator=(const NetNs&) = delete;
};

} // namespace

TEST_CASE("backend iptables: capabilities") {
    auto c = backends::IptablesBackend().capabilities();
    CHECK_FALSE(c.identity);
    CHECK_FALSE(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK(c.icmpTypes);
    CHECK(c.logging);
    CHECK(c.maxInterfaceName == 15);
    CHECK(std::string(c.interfaceNameChars) == "_.-");
    CHECK(std::string(backends::IptablesBackend().name()) == "iptables");
}

TEST_CASE("backend iptables: netsep's chains only, scoped to the firewall's interfaces") {
    auto fw = sample();
    CHECK(backends::IptablesBackend::chainPrefix(fw) == "ns_fw");
    CHECK(backends::IptablesBackend::quarantineChain(fw) == "ns_fw_quar");
    auto f = emitIpt(fw);
    for (const auto* t : {&f.v4, &f.v6}) {
        CHECK(t->rfind("# Generated by netsep from policy acme-bank, firewall fw.", 0) == 0);
        CHECK(contains(*t, "\n*filter\n:ns_fw - [0:0]\n:ns_fw_quar - [0:0]\n:ns_fw_if - [0:0]\n"));
        CHECK(t->substr(t->size() - 7) == "COMMIT\n");
        // Nothing outside the firewall's chains: no built-in chain declared,
        // flushed or appended to (the load script adds the one jump).
        for (const auto& l : lines(*t)) {
            if (l.rfind(":", 0) == 0 || l.rfind("-A ", 0) == 0) {
                std::string chain = l.substr(l[0] == ':' ? 1 : 3);
                chain = chain.substr(0, chain.find(' '));
                CHECK_MESSAGE((chain == "ns_fw" || chain.rfind("ns_fw_", 0) == 0), l);
            }
            CHECK_FALSE(l.rfind("-F", 0) == 0);
            CHECK_FALSE(l.rfind("-P", 0) == 0);
        }
        auto entry = chainRules(*t, "ns_fw");
        REQUIRE(entry.size() == 2 + 5);
        CHECK(entry[0] == "-A ns_fw -m comment --comment \"netsep policy acme-bank firewall fw\"");
        // the quarantine hook comes first, before any decision of netsep
        CHECK(entry[1] == "-A ns_fw -m comment --comment \"netsep quarantine hook: empty unless a "
                          "quarantine is applied\" -j ns_fw_quar");
        CHECK(chainRules(*t, "ns_fw_quar").empty());
        CHECK(entry[2] == "-A ns_fw -i eth0 -j ns_fw_if");
        CHECK(entry[6] == "-A ns_fw -i eth4 -j ns_fw_if");
        auto from = chainRules(*t, "ns_fw_if");
        REQUIRE(from.size() == 5);
        CHECK(from[0] == "-A ns_fw_if -o eth0 -j ns_fw_fwd");
        auto fwd = chainRules(*t, "ns_fw_fwd");
        REQUIRE(fwd.size() == (t == &f.v4 ? 9 : 7)); // IPv6: two pairs without rules
        // The kill switch judges open connections before the established accept.
        CHECK(fwd[0] == "-A ns_fw_fwd -m conntrack --ctstate ESTABLISHED,RELATED -m connmark ! "
                        "--mark 0x0/0xffff0000 -m comment --comment \"netsep kill switch: open "
                        "connections of kill-switch groups\" -j ns_fw_killswitch");
        CHECK(fwd[1] == "-A ns_fw_fwd -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        CHECK(fwd[2] == "-A ns_fw_fwd -m conntrack --ctstate INVALID -j DROP");
        if (t == &f.v4) // in IPv6, internet to dmz has no rule
            CHECK(fwd[4] == "-A ns_fw_fwd -i eth0 -o eth1 -m comment --comment \"netsep zone pair "
                            "internet to dmz\" -j ns_fw_z_internet__dmz");
        // default deny, inside netsep's chain: only for traffic between its interfaces
        CHECK(fwd.back() ==
              "-A ns_fw_fwd -m comment --comment \"netsep default deny: no zone pair or "
              "no rule for it\" "
              "-j DROP");
        CHECK(chainRules(*t, "ns_fw_killswitch") ==
              std::vector<std::string>{
                  "-A ns_fw_killswitch -m comment --comment \"netsep kill switch ai-egress\" -j "
                  "ns_fw_sw_ai-egress",
                  "-A ns_fw_killswitch -m comment --comment \"netsep kill switch: every group "
                  "that admits it is off\" -j DROP"});
        CHECK(chainRules(*t, "ns_fw_sw_ai-egress") ==
              std::vector<std::string>{
                  "-A ns_fw_sw_ai-egress -m connmark --mark 0x00010000/0x00010000 -m comment "
                  "--comment \"netsep kill switch ai-egress on\" -j ACCEPT"});
        // every pair chain ends with a DROP (IPv6: two pairs have no rule there)
        for (const char* pc : {"z_internet__core", "z_internet__dmz", "z_dmz__app",
                               "z_secops__core", "z_secops__internet"}) {
            auto rules = chainRules(*t, P + pc);
            if (t == &f.v6 && rules.empty())
                continue;
            REQUIRE(!rules.empty());
            CHECK(rules.back().substr(rules.back().size() - 8) == " -j DROP");
        }
    }
}

TEST_CASE("backend iptables: provenance, forward-policy drop and an engaged group") {
    auto fw = sample();
    fw.provenance = {"sha256:" + std::string(64, 'a'), "0.1.0", "2026-11-22"};
    auto f = emitIpt(fw);
    // the kernel keeps the comment: iptables -S shows which compile is loaded
    CHECK(chainRules(f.v4, "ns_fw")[0] ==
          "-A ns_fw -m comment --comment \"netsep policy acme-bank firewall fw digest sha256:" +
              std::string(64, 'a') + " netsep 0.1.0 as of 2026-11-22\"");
    CHECK_FALSE(contains(f.v4, ":FORWARD"));
    fw.forwardPolicyDrop = true;
    f = emitIpt(fw);
    CHECK(contains(f.v4, "\n*filter\n# forward-policy drop: routed traffic netsep does not "
                         "accept is dropped\n:FORWARD DROP [0:0]\n:ns_fw - [0:0]\n"));
    CHECK(contains(f.v6, "\n:FORWARD DROP [0:0]\n"));
    // an engaged group: its switch is off in the compiled files
    fw.engagedGroups = {"ai-egress"};
    f = emitIpt(fw);
    CHECK(chainRules(f.v4, "ns_fw_sw_ai-egress").empty());
    CHECK(contains(f.v4, "\n:ns_fw_sw_ai-egress - [0:0]\n"));
    CHECK(contains(f.v4, "# kill switch of group ai-egress: OFF - engaged in the policy\n"));
}

TEST_CASE("backend iptables: rules per family, with state, comment and LOG") {
    auto f = emitIpt(sample());
    auto dmz = chainRules(f.v4, P + "z_internet__dmz");
    REQUIRE(dmz.size() == 4);
    CHECK(dmz[0] == "-A ns_fw_z_internet__dmz -d 192.0.2.0/24 -p tcp -m tcp --dport 23 -m comment "
                    "--comment \"policy rule no-telnet at bank.nsp:11\" -j DROP");
    // the source 0.0.0.0/0 needs no -s; LOG before ACCEPT with identical
    // matches; the two web hosts are one set match
    const std::string web = "-A ns_fw_z_internet__dmz -m set --match-set ns_fw_o4_";
    CHECK(dmz[1].rfind(web, 0) == 0);
    CHECK(contains(dmz[1], " dst -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW -m comment "
                           "--comment \"policy rule web-in at bank.nsp:12\" -j LOG --log-prefix "
                           "\"netsep ACCEPT web-in \""));
    CHECK(dmz[2] == dmz[1].substr(0, dmz[1].find(" -j LOG")) + " -j ACCEPT");
    CHECK(contains(dmz[3], "netsep default deny internet to dmz"));
    // IPv4-only rules are not in the IPv6 file, and a pair without rules
    // there has no chain
    CHECK(chainRules(f.v6, P + "z_internet__dmz").empty());
    CHECK(contains(f.v4, " src -d 10.1.0.0/16 -p tcp -m multiport --dports 443,1000:2000 -m "
                         "conntrack --ctstate NEW"));
    // both families for a rule that has both
    CHECK(contains(f.v4,
                   "-A ns_fw_z_internet__core -d 10.10.0.0/16 -m comment --comment \"policy rule "
                   "no-core at bank.nsp:14\" -j DROP\n"));
    CHECK(contains(f.v6,
                   "-A ns_fw_z_internet__core -d fd00:10::/48 -m comment --comment \"policy rule "
                   "no-core at bank.nsp:14\" -j DROP\n"));
    // icmp only in v4, icmpv6 only in v6, one rule per type
    CHECK(contains(f.v4, "-s 10.20.0.0/24 -p icmp -m icmp --icmp-type 8 -m conntrack"));
    CHECK_FALSE(contains(f.v6, "-p icmp "));
    CHECK_FALSE(contains(f.v4, "ipv6-icmp"));
    for (int type : {128, 135, 200})
        CHECK(contains(f.v6, fmt::format("-s fd00:20::/64 -d fd00:10::/48 -p ipv6-icmp -m icmp6 "
                                         "--icmpv6-type {} -m conntrack --ctstate NEW",
                                         type)));
    // identity is reported, not dropped
    CHECK(contains(f.v4, "--comment \"policy rule soc-triage at bank.nsp:29 - identity "
                         "soc-analyst not enforced here\" -j ACCEPT"));
}

TEST_CASE("backend iptables: exceptions mark their group's bit; the switch decides") {
    auto fw = sample();
    fw.provenance = {"sha256:" + std::string(64, 'b'), "0.1.0", "2026-11-22"};
    auto f = emitIpt(fw);
    auto chains = backends::IptablesBackend::killSwitchChains(fw, "ai-egress");
    REQUIRE(chains.size() == 1);
    const std::string ks = chains[0];
    CHECK(ks.size() <= 28);
    CHECK(ks.rfind("ns_fw_ks_ai-egress__", 0) == 0);
    CHECK(backends::IptablesBackend::switchChain(fw, "ai-egress") == "ns_fw_sw_ai-egress");
    auto pair = chainRules(f.v4, P + "z_secops__internet");
    REQUIRE(pair.size() == 4);
    CHECK(contains(pair[0], "--icmp-type 8"));
    CHECK(pair[1] == "-A ns_fw_z_secops__internet -m comment --comment \"kill-switch group "
                     "ai-egress\" -j " +
                         ks);
    // after every group's marking chain: accepted if one of its groups is on
    CHECK(pair[2] == "-A ns_fw_z_secops__internet -m connmark ! --mark 0x0/0xffff0000 -m comment "
                     "--comment \"netsep kill switch: exceptions admit while a group is on\" -j "
                     "ns_fw_killswitch");
    CHECK(contains(pair[3], "-j DROP"));
    auto rules = chainRules(f.v4, ks);
    REQUIRE(rules.size() == 3);
    // the group's first matching rule logs and sets the bit; none accepts
    CHECK(contains(rules[0], "-m conntrack --ctstate NEW -m connmark --mark 0x0/0x00010000 -m "
                             "comment --comment \"policy rule ai-vuln-scan at bank.nsp:35 - "
                             "kill-switch ai-egress\" -j LOG --log-prefix \"netsep ACCEPT "
                             "ai-vuln-scan \""));
    CHECK(contains(rules[1], "-m conntrack --ctstate NEW -m connmark --mark 0x0/0x00010000 -m "
                             "comment --comment \"policy rule ai-vuln-scan at bank.nsp:35 - "
                             "kill-switch ai-egress\" -j CONNMARK --or-mark 0x00010000"));
    CHECK(contains(rules[2], "-p udp -m udp --dport 53"));
    for (const auto& r : rules)
        CHECK_FALSE(contains(r, "-j ACCEPT"));
    // the chain exists in the IPv6 file too (empty)
    CHECK(contains(f.v6, "\n:" + ks + " - [0:0]\n"));
    CHECK(contains(f.v6, "-j " + ks + "\n"));

    auto files = backends::IptablesBackend().killSwitchRules(fw, "ai-egress");
    REQUIRE(files.size() == 4);
    CHECK(files[0].path == "iptables-ai-egress-disable.rules");
    CHECK(files[1].path == "ip6tables-ai-egress-disable.rules");
    CHECK(files[2].path == "iptables-ai-egress-enable.rules");
    CHECK(files[3].path == "ip6tables-ai-egress-enable.rules");
    // disable empties the group's switch chain and touches nothing else
    CHECK(contains(files[0].content, "\n*filter\n:ns_fw_sw_ai-egress - [0:0]\nCOMMIT\n"));
    // enable puts its accept back, exactly as compiled
    CHECK(contains(files[2].content, "\n*filter\n:ns_fw_sw_ai-egress - [0:0]\n" +
                                         chainRules(f.v4, "ns_fw_sw_ai-egress")[0] + "\nCOMMIT\n"));

    // the kill-switch scripts: digest check first, then one heredoc per family
    auto scripts = backends::IptablesBackend().killSwitchArtifacts(fw, "ai-egress");
    REQUIRE(scripts.has_value());
    REQUIRE(scripts->size() == 2);
    const auto& disable = (*scripts)[0];
    const auto& enable = (*scripts)[1];
    CHECK(disable.path == "iptables-killswitch-ai-egress-disable.sh");
    CHECK(enable.path == "iptables-killswitch-ai-egress-enable.sh");
    CHECK(disable.content.rfind("#!/bin/sh\n", 0) == 0);
    CHECK(contains(disable.content, "\ndigest='sha256:" + std::string(64, 'b') + "'\n"));
    CHECK(contains(disable.content, "-w -S ns_fw 2>/dev/null | grep -qF \"$digest\""));
    CHECK(contains(disable.content, "\"${IPTABLES:-iptables}-restore\" -w --noflush "
                                    "<<'NETSEP_EOF'\n" +
                                        files[0].content +
                                        "NETSEP_EOF\n"
                                        "\"${IP6TABLES:-ip6tables}-restore\" -w --noflush "
                                        "<<'NETSEP_EOF'\n" +
                                        files[1].content + "NETSEP_EOF\n"));
    CHECK(contains(enable.content, files[2].content + "NETSEP_EOF\n"));
    // without a digest there is nothing to check against
    fw.provenance = {};
    scripts = backends::IptablesBackend().killSwitchArtifacts(fw, "ai-egress");
    CHECK_FALSE(contains((*scripts)[0].content, "digest="));
}

TEST_CASE("backend iptables: two groups on one pair get two bits, one decision") {
    auto fw = sample();
    auto& pair = fw.pairs[4]; // secops -> internet
    auto other = pair.rules[1];
    other.killSwitch = "threat-intel";
    other.log = false;
    pair.rules.push_back(other);
    fw.killSwitchGroups = {"ai-egress", "threat-intel"};
    fw.switchGroups = {"ai-egress", "old-group", "threat-intel"}; // old-group: expired here
    auto f = emitIpt(fw);
    auto rules = chainRules(f.v4, P + "z_secops__internet");
    REQUIRE(rules.size() == 5);
    CHECK(contains(rules[1], "kill-switch group ai-egress"));
    CHECK(contains(rules[2], "kill-switch group threat-intel"));
    CHECK(contains(rules[3], "-j ns_fw_killswitch"));
    auto ti = backends::IptablesBackend::killSwitchChains(fw, "threat-intel").at(0);
    // bit 16 + position among all the firewall's switch groups: 0x40000
    CHECK(contains(chainRules(f.v4, ti).at(0),
                   "--mark 0x0/0x00040000 -m comment --comment \"policy rule ai-vuln-scan at "
                   "bank.nsp:35 - kill-switch threat-intel\" -j CONNMARK --or-mark 0x00040000"));
    auto decide = chainRules(f.v4, "ns_fw_killswitch");
    REQUIRE(decide.size() == 4);
    CHECK(contains(decide[1], "-j ns_fw_sw_old-group"));
    CHECK(chainRules(f.v4, "ns_fw_sw_old-group").size() == 1);
    // more than 16 groups cannot have a bit each
    for (int i = 0; i < 16; ++i)
        fw.switchGroups.push_back(fmt::format("zz{:02}", i));
    CHECK(backends::IptablesBackend().capabilities().maxKillSwitchGroups == 16);
    CHECK_THROWS_AS(emitIpt(fw), std::invalid_argument);
}

TEST_CASE("backend iptables: multiport takes at most 15 ports, a range counting two") {
    auto fw = sample();
    auto& r = fw.pairs[2].rules[0]; // dmz -> app, from group-web (2 hosts)
    fw.objects[Web] = obj("group-web", {"192.0.2.10"});
    r.match.ports.clear();
    for (uint16_t p = 1001; p <= 1039; p += 2) // 20 separate ports
        r.match.ports.push_back({p, p});
    auto rules = chainRules(emitIpt(fw).v4, P + "z_dmz__app");
    REQUIRE(rules.size() == 3);
    CHECK(contains(rules[0], "--dports 1001,1003,1005,1007,1009,1011,1013,1015,1017,1019,1021,"
                             "1023,1025,1027,1029 -m conntrack"));
    CHECK(contains(rules[1], "--dports 1031,1033,1035,1037,1039 -m conntrack"));

    r.match.ports.clear();
    for (uint16_t p = 100; p <= 800; p += 100) // 8 ranges = weight 16
        r.match.ports.push_back({p, static_cast<uint16_t>(p + 10)});
    rules = chainRules(emitIpt(fw).v4, P + "z_dmz__app");
    REQUIRE(rules.size() == 3);
    CHECK(contains(rules[0], "-m multiport --dports 100:110,200:210,300:310,400:410,500:510,"
                             "600:610,700:710 -m conntrack"));
    CHECK(contains(rules[1], "-p tcp -m tcp --dport 800:810 -m conntrack"));

    r.match.ports.pop_back();
    r.match.ports.push_back({900, 900}); // 7 ranges + 1 port = 15: one rule
    r.match.ports.push_back({901, 901}); // adjacent: merged into 900:901
    rules = chainRules(emitIpt(fw).v4, P + "z_dmz__app");
    REQUIRE(rules.size() == 3);
    CHECK(contains(rules[1], "-p tcp -m tcp --dport 900:901"));

    r.match.ports = {{0, 65535}}; // every port: no port match
    rules = chainRules(emitIpt(fw).v4, P + "z_dmz__app");
    REQUIRE(rules.size() == 2);
    CHECK(contains(rules[0], "-d 10.1.0.0/16 -p tcp -m conntrack"));

    // no multiport line ever carries more than 15 ports
    r.match.ports.clear();
    for (uint16_t p = 2000; p < 2400; p += 3)
        r.match.ports.push_back(p % 2 ? model::PortRange{p, p}
                                      : model::PortRange{p, static_cast<uint16_t>(p + 1)});
    std::set<uint16_t> seen;
    for (const auto& line : chainRules(emitIpt(fw).v4, P + "z_dmz__app")) {
        auto pos = line.find("--dports ");
        if (pos == std::string::npos)
            continue;
        std::string list = line.substr(pos + 9, line.find(' ', pos + 9) - pos - 9);
        unsigned weight = 0;
        std::istringstream items(list);
        for (std::string item; std::getline(items, item, ',');) {
            weight += item.find(':') == std::string::npos ? 1 : 2;
            seen.insert(static_cast<uint16_t>(std::stoi(item)));
        }
        CHECK(weight <= 15);
    }
    CHECK(seen.size() + 1 >= r.match.ports.size()); // all but at most one single --dport
}

namespace {
// An object with `n` separate host addresses in 10.K.0.0/16.
lower::AddressObject hosts(std::string name, int k, int n) {
    lower::AddressObject o;
    o.name = std::move(name);
    for (int i = 0; i < n; ++i)
        o.v4.push_back(pfx(fmt::format("10.{}.{}.{}", k, i / 100, 2 * (i % 100) + 1).c_str()));
    return o;
}
} // namespace

TEST_CASE("backend iptables: an object of several prefixes is one set match, shared by name") {
    auto fw = sample();
    fw.objects.push_back(hosts("group-many-src", 50, 20)); // 8
    fw.objects.push_back(hosts("group-many-dst", 60, 10)); // 9
    fw.objects.push_back(hosts("group-same-dst", 60, 10)); // 10: same prefixes as 9
    auto& pair = fw.pairs[2];                              // dmz -> app
    pair.rules.clear();
    using lower::Action;
    pair.rules.push_back(rule(Action::Accept, "mesh", 8, 9, model::Proto::Tcp, {{443, 443}}));
    auto full = rule(Action::Drop, "full", 8, 10, model::Proto::Icmp, {});
    full.match.icmpTypes = {3, 4, 5};
    full.log = true;
    pair.rules.push_back(full);
    pair.rules.push_back(rule(Action::Accept, "one", Web, 9, model::Proto::Udp, {{53, 53}}));

    auto f = emitIpt(fw);
    auto rules = chainRules(f.v4, P + "z_dmz__app");
    // mesh: one rule whatever 20 x 10; full: one jump per ICMP type to its
    // LOG action chain; one: one rule; the default deny.
    REQUIRE(rules.size() == 1 + 3 + 1 + 1);
    const std::string src = "ns_fw_o4_" + backends::hash8([] {
                                std::string m;
                                for (int i = 0; i < 20; ++i)
                                    m += fmt::format("10.50.0.{}/32 ", 2 * i + 1);
                                return m;
                            }());
    REQUIRE(rules[0].rfind("-A ns_fw_z_dmz__app -m set --match-set " + src +
                               " src -m set --match-set ns_fw_o4_",
                           0) == 0);
    CHECK(contains(rules[0], " dst -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW -m comment "
                             "--comment \"policy rule mesh at "));
    CHECK(rules[0].substr(rules[0].rfind("\" -j ")) == "\" -j ACCEPT");
    // objects with the same prefixes share one set
    const std::string dst = rules[0].substr(rules[0].find("ns_fw_o4_", 45), 17);
    CHECK(dst != src);
    CHECK(contains(rules[1], "--match-set " + dst + " dst -p icmp -m icmp --icmp-type 3 "));
    CHECK(contains(rules[1], "-j ns_fw_r_full_1__dmz__app_log"));
    CHECK(contains(rules[4], "-m set --match-set " + dst + " dst -p udp -m udp --dport 53 "));
    CHECK(contains(rules[5], "netsep default deny dmz to app"));
    auto act = chainRules(f.v4, P + "r_full_1__dmz__app_log");
    REQUIRE(act.size() == 2);
    CHECK(contains(act[0], "-j LOG --log-prefix \"netsep DROP full \""));
    CHECK(contains(act[1], "-j DROP"));
    // ipset.rules creates each set once, says which objects it holds, and
    // lists its members; no IPv6 set (the objects have no IPv6 prefix)
    CHECK(contains(f.sets, "objects group-many-dst group-same-dst\ncreate " + dst +
                               " hash:net family inet hashsize 64 maxelem 65536\n"));
    CHECK(contains(f.sets, "# address object group-many-src\ncreate " + src + " "));
    CHECK(contains(f.sets, "add " + src + " 10.50.0.39/32\n"));
    std::size_t creates = 0;
    for (const auto& l : lines(f.sets))
        creates += l.rfind("create ", 0) == 0;
    CHECK(creates == 3); // and group-web (two hosts) of the sample
    CHECK_FALSE(contains(f.v6, "match-set"));
    CHECK(src.size() + 2 <= 31);
}

TEST_CASE("backend iptables: two member lists with the same hash get different set names") {
    // FNV-1a of "10.98.121.1/32 10.99.0.247/32 " and of
    // "10.98.125.1/32 10.99.1.0/32 " is c083cc4a for both.
    REQUIRE(backends::hash8("10.98.121.1/32 10.99.0.247/32 ") == "c083cc4a");
    REQUIRE(backends::hash8("10.98.125.1/32 10.99.1.0/32 ") == "c083cc4a");
    auto fw = sample();
    fw.objects.push_back(obj("group-a", {"10.99.0.247", "10.98.121.1"})); // 8
    fw.objects.push_back(obj("group-b", {"10.99.1.0", "10.98.125.1"}));   // 9
    auto& pair = fw.pairs[2];                                             // dmz -> app
    pair.rules.clear();
    using lower::Action;
    pair.rules.push_back(rule(Action::Accept, "from-a", 8, App, model::Proto::Tcp, {{22, 22}}));
    pair.rules.push_back(rule(Action::Accept, "from-b", 9, App, model::Proto::Tcp, {{22, 22}}));
    auto f = emitIpt(fw);
    auto rules = chainRules(f.v4, P + "z_dmz__app");
    REQUIRE(rules.size() == 3);
    const std::string a = "ns_fw_o4_c083cc4a";
    const std::string b = "ns_fw_o4_" + backends::hash8("10.98.125.1/32 10.99.1.0/32 #1");
    CHECK(contains(rules[0], "--match-set " + a + " src "));
    CHECK(contains(rules[1], "--match-set " + b + " src "));
    CHECK(contains(f.sets, "create " + a + " hash:net family inet hashsize 64 maxelem 65536\nadd " +
                               a + " 10.98.121.1/32\nadd " + a + " 10.99.0.247/32\n"));
    CHECK(contains(f.sets, "create " + b + " hash:net family inet hashsize 64 maxelem 65536\nadd " +
                               b + " 10.98.125.1/32\nadd " + b + " 10.99.1.0/32\n"));
}

TEST_CASE("backend iptables: a zone pair without rules costs no rule; the final drop takes it") {
    auto fw = sample();
    fw.pairs[2].rules.clear(); // dmz -> app: nothing allowed
    auto f = emitIpt(fw);
    CHECK_FALSE(contains(f.v4, P + "z_dmz__app"));
    CHECK_FALSE(contains(f.v6, P + "z_dmz__app"));
    auto fwd = chainRules(f.v4, P + "fwd");
    CHECK(fwd.back() == "-A ns_fw_fwd -m comment --comment \"netsep default deny: no zone pair or "
                        "no rule for it\" -j DROP");
}

TEST_CASE("backend iptables: chain names are mangled to 28 characters without collisions") {
    auto fw = sample();
    fw.pairs[0].fromZone = std::string(40, 'a');
    fw.pairs[0].toZone = "x";
    fw.pairs[1].fromZone = std::string(40, 'a');
    fw.pairs[1].toZone = "y";
    fw.pairs[2].fromZone = "a_";
    fw.pairs[2].toZone = "b";
    fw.pairs[3].fromZone = "a";
    fw.pairs[3].toZone = "_b";
    fw.pairs[4].fromZone = "sec.ops:1";
    auto f = emitIpt(fw);
    auto declared = declaredChains(f.v4);
    for (const auto& c : declaredChains(f.v6)) // per family: pairs without rules have none
        CHECK(std::find(declared.begin(), declared.end(), c) != declared.end());
    std::set<std::string> names(declared.begin(), declared.end());
    CHECK(names.size() == declared.size());
    for (const auto& c : declared) {
        CHECK(c.size() <= 28);
        for (char ch : c)
            CHECK((std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-'));
    }
    for (const auto& c : declared)
        CHECK((c == "ns_fw" || c.rfind("ns_fw_", 0) == 0));
    CHECK(contains(f.v4, ":ns_fw_z_a___b - [0:0]\n:ns_fw_z_a___b_2 - [0:0]\n"));
    // the first pair chains: after entry, quar, if, fwd, killswitch, sw_ai-egress
    CHECK(declared[6].rfind("ns_fw_z_aaaaaaaaaaa_", 0) == 0);
    CHECK(declared[7].rfind("ns_fw_z_aaaaaaaaaaa_", 0) == 0);
    CHECK(declared[6] != declared[7]);
}

namespace {
// Policy strings that try to break out of comments, quotes and lines.
LoweredFirewall hostile() {
    auto fw = sample();
    fw.policyName = "acme\nCOMMIT\n*nat";
    fw.name = "fw\r\n-A FORWARD -j ACCEPT";
    auto& r = fw.pairs[1].rules[1];
    r.policyRule = "web\"in\n-A FORWARD -j ACCEPT";
    r.where = "evil\".nsp:3\n-F FORWARD # \\ '";
    r.identity = "x\" -j ACCEPT";
    r.killSwitch = "g\n-X";
    fw.killSwitchGroups = {"ai-egress", "g\n-X"};
    fw.switchGroups = fw.killSwitchGroups;
    return fw;
}
} // namespace

TEST_CASE("backend iptables: hostile strings cannot inject") {
    auto f = emitIpt(hostile());
    for (const auto* t : {&f.v4, &f.v6}) {
        CHECK_FALSE(contains(*t, "\r"));
        CHECK_FALSE(contains(*t, "\\"));
        CHECK_FALSE(contains(*t, "'"));
        CHECK_FALSE(contains(*t, "*nat"));
        int commits = 0;
        for (const auto& l : lines(*t)) {
            bool known = l.rfind("#", 0) == 0 || l == "*filter" || l.rfind(":", 0) == 0 ||
                         l.rfind("-A ", 0) == 0 || l == "COMMIT";
            CHECK_MESSAGE(known, l);
            commits += l == "COMMIT";
            CHECK_FALSE(l.rfind("-A FORWARD -j ACCEPT", 0) == 0);
            std::size_t q = 0;
            while ((q = l.find('"', q)) != std::string::npos) {
                auto e = l.find('"', q + 1);
                REQUIRE(e != std::string::npos);
                std::string inner = l.substr(q + 1, e - q - 1);
                for (char ch : inner)
                    CHECK(backends::emit::isSafeTextChar(ch));
                if (l.compare(q - 13, 13, "--log-prefix ") == 0)
                    CHECK(inner.size() <= 29);
                else
                    CHECK(inner.size() <= 255);
                q = e + 1;
            }
        }
        CHECK(commits == 1);
    }
    CHECK(contains(f.v4, "-j LOG --log-prefix \"netsep ACCEPT web_in_-A FORW \""));
}

TEST_CASE("backend iptables: output is deterministic") {
    auto a = emitIpt(sample());
    auto b = emitIpt(sample());
    CHECK(a.v4 == b.v4);
    CHECK(a.v6 == b.v6);
}

TEST_CASE("backend iptables: invalid interface names are refused") {
    auto fw = sample();
    fw.pairs[0].outInterfaces = {"eth3 -j ACCEPT"};
    CHECK_THROWS_AS(emitIpt(fw), std::invalid_argument);
    fw = sample();
    fw.pairs[0].outInterfaces = {"eth+"};
    CHECK_THROWS_AS(emitIpt(fw), std::invalid_argument);
}

namespace {

// A directory of artifacts, removed on scope exit.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               fmt::format("netsep-ipt-{}-{}", ::getpid(), name)) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string write(const std::vector<backends::Artifact>& arts) const {
        for (const auto& a : arts)
            std::ofstream(path / a.path) << a.content;
        return path.string();
    }
};

std::string capture(const std::string& cmd) {
    std::string out = writeTemp("capture.txt", "");
    run(cmd + " > " + out + " 2>&1");
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    std::filesystem::remove(out);
    return text;
}

int countLines(const std::string& text, const std::string& start) {
    int n = 0;
    for (const auto& l : lines(text))
        n += l.rfind(start, 0) == 0;
    return n;
}

} // namespace

TEST_CASE("backend iptables: the load script owns only netsep's chains, in a namespace") {
    if (::geteuid() != 0 || !haveTool("ip") || !haveTool("iptables-restore") ||
        !haveTool("ip6tables-restore")) {
        MESSAGE("needs root, ip(8), iptables-restore and ip6tables-restore; skipping");
        return;
    }
    auto fw = sample();
    fw.provenance = {"sha256:" + std::string(64, 'c'), "0.1.0", "2026-11-22"};
    fw.objects.push_back(hosts("group-many-src", 50, 20));
    fw.objects.push_back(hosts("group-many-dst", 60, 10));
    auto full = rule(lower::Action::Drop, "full", 8, 9, model::Proto::Icmp, {});
    full.match.icmpTypes = {3, 4, 5};
    full.log = true;
    fw.pairs[2].rules.push_back(full);
    auto big = rule(lower::Action::Accept, "ports", 8, 9, model::Proto::Udp, {});
    for (uint16_t p = 3000; p < 3100; p += 3)
        big.match.ports.push_back({p, static_cast<uint16_t>(p + (p % 2))});
    big.kind = model::RuleKind::Exception;
    big.killSwitch = "ai-egress";
    fw.pairs[2].rules.push_back(big);
    // the next compile has no dmz -> app pair any more
    auto smaller = fw;
    smaller.pairs.erase(smaller.pairs.begin() + 2);

    backends::IptablesBackend be;
    TempDir first("first"), second("second"), evilDir("evil"), ksDir("ks");
    auto arts = be.emit(fw);
    REQUIRE(arts.size() == 4); // with ipset.rules
    const std::string load1 = "sh " + first.write(arts) + "/iptables-load.sh";
    const std::string load2 = "sh " + second.write(be.emit(smaller)) + "/iptables-load.sh";
    const std::string loadEvil = "sh " + evilDir.write(be.emit(hostile())) + "/iptables-load.sh";
    auto scripts = be.killSwitchArtifacts(fw, "ai-egress");
    REQUIRE(scripts.has_value());
    ksDir.write(*scripts);
    const std::string off = "sh " + (ksDir.path / (*scripts)[0].path).string();
    const std::string on = "sh " + (ksDir.path / (*scripts)[1].path).string();
    auto otherCompile = fw;
    otherCompile.provenance.policyDigest = "sha256:" + std::string(64, 'd');
    TempDir otherDir("other");
    auto otherScripts = be.killSwitchArtifacts(otherCompile, "ai-egress");
    otherDir.write(*otherScripts);
    const std::string otherOff = "sh " + (otherDir.path / (*otherScripts)[0].path).string();

    NetNs ns(fmt::format("nsbk-{}", ::getpid()));
    REQUIRE(ns.ok);
    const std::string x = fmt::format("ip netns exec {} ", ns.name);
    // The host's own rules: an INPUT rule, a foreign chain jumped to from
    // FORWARD, a foreign FORWARD rule, and its FORWARD policy.
    for (const char* tool : {"iptables", "ip6tables"}) {
        REQUIRE(run(fmt::format("{}{} -A INPUT -p tcp --dport 22 -j ACCEPT", x, tool)) == 0);
        REQUIRE(run(fmt::format("{}{} -N DOCKER-USER", x, tool)) == 0);
        REQUIRE(run(fmt::format("{}{} -A DOCKER-USER -i docker0 -j RETURN", x, tool)) == 0);
        REQUIRE(run(fmt::format("{}{} -A FORWARD -j DOCKER-USER", x, tool)) == 0);
        REQUIRE(run(fmt::format("{}{} -A FORWARD -o docker0 -j ACCEPT", x, tool)) == 0);
        REQUIRE(run(fmt::format("{}{} -P FORWARD DROP", x, tool)) == 0);
    }
    auto foreignIntact = [&](const char* tool) {
        std::string dump;
        for (const auto& l : lines(capture(fmt::format("{}{}-save -t filter", x, tool))))
            if (l.rfind("#", 0) != 0)
                dump += l + "\n";
        CHECK(contains(dump, ":FORWARD DROP"));
        CHECK(contains(dump, "\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"));
        CHECK(contains(dump, "\n-A DOCKER-USER -i docker0 -j RETURN\n"));
        CHECK(contains(dump, "\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j ACCEPT\n"));
        // exactly one jump into netsep, at the top of FORWARD
        CHECK(countLines(dump, "-A FORWARD") == 3);
        CHECK(contains(dump, "\n-A FORWARD -m comment --comment \"netsep firewall fw\" -j ns_fw\n"
                             "-A FORWARD -j DOCKER-USER\n"));
        return dump;
    };

    REQUIRE(run(x + load1) == 0);
    std::string v4 = foreignIntact("iptables");
    foreignIntact("ip6tables");
    CHECK(countLines(v4, "-A ns_fw") == countLines(arts[0].content, "-A "));
    for (int i = 0; i < 3; ++i) // reloads change nothing and add no second jump
        CHECK(run(x + load1) == 0);
    CHECK(foreignIntact("iptables") == v4);

    // a second jump (someone ran an old script by hand) is removed again
    CHECK(run(x + "iptables -A FORWARD -j ns_fw") == 0);
    CHECK(run(x + load1) == 0);
    CHECK(foreignIntact("iptables") == v4);

    // kill switch: refused for another compile's files (nothing changes), then
    // disable empties the switch chain and enable restores the loaded state
    const std::string sw = be.switchChain(fw, "ai-egress");
    CHECK(run(x + otherOff + " 2>/dev/null") != 0);
    CHECK(contains(capture(x + otherOff), "does not carry policy digest sha256:dddd"));
    CHECK(foreignIntact("iptables") == v4);
    CHECK(run(x + off) == 0);
    CHECK(capture(fmt::format("{}iptables -S {}", x, sw)) == "-N " + sw + "\n");
    CHECK(capture(fmt::format("{}ip6tables -S {}", x, sw)) == "-N " + sw + "\n");
    CHECK(run(x + on) == 0);
    CHECK(foreignIntact("iptables") == v4);
    CHECK(run(x + otherOff + " --force 2>/dev/null") == 0); // the documented override
    CHECK(capture(fmt::format("{}iptables -S {}", x, sw)) == "-N " + sw + "\n");
    CHECK(run(x + on) == 0);

    // the next compile: the removed pair's chains (and its helper chains) go
    CHECK(run(x + load2) == 0);
    std::string after = foreignIntact("iptables");
    foreignIntact("ip6tables");
    auto smallerText = be.emit(smaller)[0].content;
    std::vector<std::string> live;
    for (const auto& l : lines(after))
        if (l.rfind(":ns_fw", 0) == 0)
            live.push_back(l.substr(1, l.find(' ') - 1));
    auto want = declaredChains(smallerText);
    std::sort(live.begin(), live.end());
    std::sort(want.begin(), want.end());
    CHECK(live == want);
    CHECK_FALSE(contains(after, "z_dmz__app"));
    CHECK_FALSE(contains(after, "r_full"));

    // hostile names load as plain comments, beside the other firewall's chains
    CHECK(run(x + loadEvil) == 0);
    std::string evil = capture(x + "iptables-save -t filter");
    CHECK(contains(evil, "-j ns_fw\n"));
    for (const auto& l : lines(evil))
        CHECK_FALSE(l.rfind("-A FORWARD -j ACCEPT", 0) == 0);
}

TEST_CASE("backend iptables: declared-set names are short, plain and the firewall's own") {
    auto fw = sample();
    CHECK(backends::IptablesBackend::declaredSet(fw, model::Family::V4) == "ns_fw_dcl4");
    CHECK(backends::IptablesBackend::declaredSet(fw, model::Family::V6) == "ns_fw_dcl6");
    std::set<std::string> seen;
    for (std::string name : {"branch-seoul-datacenter-core-firewall-01",
                             "branch-seoul-datacenter-core-firewall-02", "fw.core", "fw core;x"}) {
        fw.name = name;
        const std::string prefix = backends::IptablesBackend::chainPrefix(fw) + "_";
        for (auto fam : {model::Family::V4, model::Family::V6}) {
            std::string set = backends::IptablesBackend::declaredSet(fw, fam);
            // ipset's limit is 31; the staging copy adds "-n".
            CHECK(set.size() + 2 <= 31);
            CHECK(set.rfind(prefix, 0) == 0);
            CHECK(std::all_of(set.begin(), set.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
            }));
            CHECK(seen.insert(set).second);
        }
    }
}
