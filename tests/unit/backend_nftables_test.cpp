// Unit tests for the nftables backend: hand-built LoweredFirewall values in,
// nft script text out; plus a syntax check (`nft -c`) and a real load into a
// throwaway network namespace.
#include "backends/EmitUtil.hpp"
#include "backends/nftables/NftablesBackend.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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
    fw.name = "fw-core";
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

std::string emitNft(const LoweredFirewall& fw) {
    backends::NftablesBackend b;
    auto arts = b.emit(fw);
    REQUIRE(arts.size() == 1);
    CHECK(arts[0].path == "nftables.nft");
    return arts[0].content;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// The body of chain NAME (between its opening line and the closing brace).
std::string chainBody(const std::string& text, const std::string& name) {
    auto start = text.find("\tchain " + name + " {\n");
    REQUIRE_MESSAGE(start != std::string::npos, "no chain " << name);
    auto end = text.find("\n\t}\n", start);
    return text.substr(start, end - start);
}

bool haveTool(const char* tool) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", tool).c_str()) == 0;
}

std::string writeTemp(const std::string& name, const std::string& content) {
    auto path =
        std::filesystem::temp_directory_path() / fmt::format("netsep-nft-{}-{}", ::getpid(), name);
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

TEST_CASE("backend nftables: capabilities") {
    auto c = backends::NftablesBackend().capabilities();
    CHECK_FALSE(c.identity);
    CHECK_FALSE(c.fqdn);
    CHECK(c.ipv6);
    CHECK(c.portRanges);
    CHECK(c.icmpTypes);
    CHECK(c.logging);
    CHECK(c.maxInterfaceName == 15);
    CHECK(std::string(c.interfaceNameChars) == "_.-");
    CHECK(std::string(backends::NftablesBackend().name()) == "nftables");
}

TEST_CASE("backend nftables: atomic table replace, sets, forward chain and vmap") {
    auto fw = sample();
    std::string t = emitNft(fw);
    CHECK(t.rfind("#!/usr/sbin/nft -f\n# Generated by netsep from policy acme-bank, firewall "
                  "fw-core.",
                  0) == 0);
    // create-if-absent, delete, define: in this order, once each
    auto a = t.find("table inet netsep_fw-core {}\n");
    auto b = t.find("delete table inet netsep_fw-core\n");
    auto c = t.find("table inet netsep_fw-core {\n");
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    REQUIRE(c != std::string::npos);
    CHECK(a < b);
    CHECK(b < c);
    CHECK(backends::NftablesBackend::tableName(fw) == "netsep_fw-core");

    CHECK(contains(t, "\tset zone-app_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
                      "\t\telements = {\n\t\t\t10.1.0.0/16,\n\t\t}\n\t}\n"));
    CHECK(contains(t, "\tset zone-core_v6 {\n\t\ttype ipv6_addr\n"));
    CHECK(contains(t, "\t\t\tfd00:10::/48,\n"));
    CHECK_FALSE(contains(t, "zone-app_v6")); // only families the object has
    CHECK(contains(t, "\t\t\t192.0.2.10/32,\n\t\t\t192.0.2.11/32,\n"));

    // the table says which compile it came from
    CHECK(contains(t, "table inet netsep_fw-core {\n\tcomment \"netsep policy acme-bank firewall "
                      "fw-core\"\n"));
    // only traffic between two of the firewall's interfaces is netsep's;
    // the quarantine hook comes first; kill switches judge open connections
    // of kill-switch groups before the established accept
    CHECK(backends::NftablesBackend::quarantineChain() == "quarantine");
    CHECK(contains(t, "\tchain quarantine {\n\t}\n"));
    CHECK(contains(t, "\tset netsep_interfaces {\n\t\ttype ifname\n\t\telements = { \"eth0\", "
                      "\"eth1\", \"eth2\", \"eth3\", \"eth4\" }\n\t}\n"));
    CHECK(contains(t, "\tchain forward {\n"
                      "\t\ttype filter hook forward priority filter; policy accept;\n"
                      "\t\tjump quarantine\n"
                      "\t\tiifname != @netsep_interfaces accept comment \"not between two netsep "
                      "interfaces: left to the host\"\n"
                      "\t\toifname != @netsep_interfaces accept comment \"not between two netsep "
                      "interfaces: left to the host\"\n"
                      "\t\tct state established,related ct mark & 0xffff0000 != 0x00000000 jump "
                      "killswitch\n"
                      "\t\tct state established,related accept\n"
                      "\t\tct state invalid drop\n"
                      "\t\tiifname . ip saddr != @ingress_v4 counter drop comment \"netsep "
                      "default deny: address outside the zones of its interface\"\n"
                      "\t\tiifname . ip6 saddr != @ingress_v6 counter drop comment \"netsep "
                      "default deny: address outside the zones of its interface\"\n"
                      "\t\toifname . ip daddr != @egress_v4 counter drop comment \"netsep "
                      "default deny: address outside the zones of its interface\"\n"
                      "\t\toifname . ip6 daddr != @egress_v6 counter drop comment \"netsep "
                      "default deny: address outside the zones of its interface\"\n"
                      "\t\tiifname . oifname vmap @zone_pairs\n"
                      "\t\tcounter drop comment \"netsep default deny: no zone pair\"\n"));
    CHECK(contains(t, "\tchain killswitch {\n\t\tjump switch_ai-egress\n\t\tcounter drop comment "
                      "\"netsep kill switch: every group that admits it is off\"\n\t}\n"));
    CHECK(contains(t, "\tchain switch_ai-egress {\n\t\tct mark & 0x00010000 == 0x00010000 counter "
                      "accept comment \"netsep kill switch ai-egress on\"\n\t}\n"));
    CHECK(contains(t, "\t\ttype ifname . ifname : verdict\n"));
    CHECK(contains(t, "\t\t\t\"eth0\" . \"eth1\" : jump z_internet__dmz,\n"));
    CHECK(contains(t, "\t\t\t\"eth1\" . \"eth2\" : jump z_dmz__app,\n"));
    CHECK(contains(t, "\t\t\t\"eth4\" . \"eth0\" : jump z_secops__internet,\n"));
    CHECK_FALSE(contains(t, "hook input"));
    CHECK_FALSE(contains(t, "hook output"));
}

TEST_CASE("backend nftables: rules in order with family, ports, state, log and comment") {
    std::string t = emitNft(sample());
    std::string body = chainBody(t, "z_internet__dmz");
    // The whole zones need no address test (the interface scopes hold
    // them); the group does. An IPv4-only rule without one says its family.
    auto deny = body.find("\t\tmeta nfproto ipv4 tcp dport 23 counter drop comment \"policy rule "
                          "no-telnet at bank.nsp:11\"\n");
    auto allow = body.find("\t\tip daddr @group-web_v4 tcp dport 443 ct state new counter log "
                           "prefix \"netsep ACCEPT web-in \" accept comment \"policy rule web-in "
                           "at bank.nsp:12\"\n");
    auto drop = body.find("\t\tcounter drop comment \"netsep default deny internet to dmz\"");
    REQUIRE(deny != std::string::npos);
    REQUIRE(allow != std::string::npos);
    REQUIRE(drop != std::string::npos);
    CHECK(deny < allow);
    CHECK(allow < drop);

    // several ports become a named interval set, declared once (an anonymous
    // set per rule costs the kernel a scan of the whole load per rule)
    CHECK(contains(chainBody(t, "z_dmz__app"), "tcp dport @svc_tcp_443_1000-2000 ct state new"));
    CHECK(contains(t, "\tset svc_tcp_443_1000-2000 {\n\t\ttype inet_service\n\t\tflags "
                      "interval\n\t\telements = { 443, 1000-2000 }\n\t}\n"));
    CHECK_FALSE(contains(t, "dport {"));
    // both families in one line when no address test is left
    std::string core = chainBody(t, "z_internet__core");
    CHECK(contains(core, "\t\tcounter drop comment \"policy rule no-core at bank.nsp:14\"\n"));
    CHECK_FALSE(contains(core, "saddr"));
    // icmp types by name, unknown ones by number; icmpv6 only in ip6
    std::string sc = chainBody(t, "z_secops__core");
    CHECK(
        contains(sc, "icmpv6 type @svc_icmpv6_echo-request_nd-neighbor-solicit_200 ct state new"));
    CHECK(contains(t, "\tset svc_icmpv6_echo-request_nd-neighbor-solicit_200 {\n\t\ttype "
                      "icmpv6_type\n\t\telements = { echo-request, nd-neighbor-solicit, 200 }\n"));
    CHECK(contains(sc, "\t\tmeta nfproto ipv6 icmpv6 type @svc_icmpv6"));
    CHECK_FALSE(contains(sc, "nfproto ipv4 icmpv6"));
    CHECK(contains(chainBody(t, "z_secops__internet"),
                   "\t\tmeta nfproto ipv4 icmp type echo-request ct state new counter accept"));
}

TEST_CASE("backend nftables: an interface scope is what its zone owns and every tested address") {
    auto fw = sample();
    fw.zoneAddresses = {{"internet", {pfx("0.0.0.0/0")}, {pfx("::/0")}},
                        {"dmz", {pfx("192.0.2.0/24")}, {}},
                        {"app", {pfx("10.1.0.0/16")}, {}},
                        {"core", {pfx("10.10.0.0/16")}, {pfx("fd00:10::/48")}},
                        {"secops", {pfx("10.20.0.0/24")}, {pfx("fd00:20::/64")}}};
    std::string t = emitNft(fw);
    CHECK(contains(t, "\t\t\t\"eth1\" . 192.0.2.0/24,\n"));
    CHECK(contains(chainBody(t, "z_internet__dmz"), "\t\tmeta nfproto ipv4 tcp dport 23 counter"));

    // A rule that tests an address the zone does not own (a lowering that
    // placed it there) widens the scope instead of losing its packets, and
    // the zone's own rules test their addresses again.
    fw.objects.push_back(obj("group-odd", {"198.51.100.0/24"}));
    fw.pairs[1].rules.push_back(rule(lower::Action::Accept, "odd-in", Internet,
                                     uint32_t(fw.objects.size() - 1), model::Proto::Tcp,
                                     {{8443, 8443}}));
    t = emitNft(fw);
    std::string egress = t.substr(t.find("\tset egress_v4 {"));
    egress = egress.substr(0, egress.find("\t}\n"));
    CHECK(contains(egress, "\t\t\t\"eth1\" . 192.0.2.0/24,\n"));
    CHECK(contains(egress, "\t\t\t\"eth1\" . 198.51.100.0/24,\n"));
    std::string dmz = chainBody(t, "z_internet__dmz");
    CHECK(contains(dmz, "\t\tip daddr @zone-dmz_v4 tcp dport 23 counter drop"));
    CHECK(contains(dmz, "\t\tip daddr @group-odd_v4 tcp dport 8443 ct state new"));
}

TEST_CASE("backend nftables: identity is reported in the comment, not dropped") {
    std::string body = chainBody(emitNft(sample()), "z_secops__core");
    CHECK(contains(body, "tcp dport 443 ct state new counter accept comment \"policy rule "
                         "soc-triage at bank.nsp:29 - identity soc-analyst not enforced here\""));
}

TEST_CASE("backend nftables: exceptions mark their group's bit; the switch decides") {
    auto fw = sample();
    std::string t = emitNft(fw);
    std::string pair = chainBody(t, "z_secops__internet");
    auto ping = pair.find("icmp type echo-request");
    auto jump = pair.find("\t\tjump ks_ai-egress__secops__internet comment \"kill-switch group "
                          "ai-egress\"\n");
    auto decide = pair.find("\t\tct mark & 0xffff0000 != 0x00000000 jump killswitch comment "
                            "\"netsep kill switch: exceptions admit while a group is on\"\n");
    auto drop = pair.find("counter drop comment \"netsep default deny secops to internet\"");
    REQUIRE(ping != std::string::npos);
    REQUIRE(jump != std::string::npos);
    REQUIRE(decide != std::string::npos);
    REQUIRE(drop != std::string::npos);
    CHECK(ping < jump);
    CHECK(jump < decide);
    CHECK(decide < drop);
    CHECK_FALSE(contains(pair, "saas-claude-api")); // the exception itself is not in the pair

    // the group's first matching rule counts, logs and sets the bit; no accept
    std::string ks = chainBody(t, "ks_ai-egress__secops__internet");
    CHECK(contains(ks, "\t\tip saddr @group-scanners_v4 ip daddr @saas-claude-api_v4 tcp dport "
                       "443 ct state new ct mark & 0x00010000 == 0x00000000 counter log prefix "
                       "\"netsep ACCEPT ai-vuln-scan \" ct mark set ct mark | 0x00010000 comment "
                       "\"policy rule ai-vuln-scan at bank.nsp:35 - kill-switch ai-egress\"\n"));
    CHECK(contains(ks, "udp dport 53 ct state new ct mark & 0x00010000 == 0x00000000 counter ct "
                       "mark set ct mark | 0x00010000 comment"));
    CHECK_FALSE(contains(ks, "accept"));

    CHECK(backends::NftablesBackend::killSwitchChains(fw, "ai-egress") ==
          std::vector<std::string>{"ks_ai-egress__secops__internet"});
    CHECK(backends::NftablesBackend::killSwitchChains(fw, "other").empty());
    CHECK(backends::NftablesBackend::switchChain(fw, "ai-egress") == "switch_ai-egress");

    // without a digest: no guard line
    auto ksFiles = backends::NftablesBackend().killSwitchArtifacts(fw, "ai-egress");
    REQUIRE(ksFiles.has_value());
    REQUIRE(ksFiles->size() == 2);
    CHECK((*ksFiles)[0].path == "nftables-killswitch-ai-egress-disable.nft");
    CHECK((*ksFiles)[1].path == "nftables-killswitch-ai-egress-enable.nft");
    CHECK_FALSE(contains((*ksFiles)[0].content, "provenance_"));
    // with one: the guard comes first, then only the switch chain changes
    fw.provenance = {"sha256:" + std::string(64, 'e'), "0.1.0", "2026-11-22"};
    const std::string guard =
        "flush chain inet netsep_fw-core provenance_sha256_" + std::string(64, 'e') + "\n";
    CHECK(backends::NftablesBackend::provenanceChain(fw) ==
          "provenance_sha256_" + std::string(64, 'e'));
    CHECK(contains(emitNft(fw), "\tchain provenance_sha256_" + std::string(64, 'e') + " {\n\t}\n"));
    CHECK(contains(emitNft(fw), "\tcomment \"netsep digest sha256:" + std::string(64, 'e') +
                                    " netsep 0.1.0 as of 2026-11-22 policy "));
    CHECK(backends::NftablesBackend::provenanceComment(fw).size() <= 128);
    ksFiles = backends::NftablesBackend().killSwitchArtifacts(fw, "ai-egress");
    CHECK(contains((*ksFiles)[0].content,
                   "\n" + guard + "flush chain inet netsep_fw-core switch_ai-egress\n"));
    CHECK_FALSE(contains((*ksFiles)[0].content, "add rule"));
    CHECK(contains((*ksFiles)[1].content,
                   "\n" + guard +
                       "flush chain inet netsep_fw-core switch_ai-egress\n"
                       "add rule inet netsep_fw-core switch_ai-egress ct mark & 0x00010000 == "
                       "0x00010000 counter accept comment \"netsep kill switch ai-egress on\"\n"));

    // an engaged group: its switch chain is empty in the compiled file
    fw.engagedGroups = {"ai-egress"};
    CHECK(contains(emitNft(fw), "\t# kill switch of group ai-egress: OFF (engaged in the "
                                "policy)\n\tchain switch_ai-egress {\n\t}\n"));
    // forward-policy drop: the host's other forwarding is dropped too
    fw.forwardPolicyDrop = true;
    std::string owned = emitNft(fw);
    CHECK(contains(owned, "\t\ttype filter hook forward priority filter; policy drop;\n"
                          "\t\tjump quarantine\n\t\tct state established,related ct mark"));
    CHECK_FALSE(contains(owned, "netsep_interfaces"));
}

TEST_CASE("backend nftables: names are sanitised and collision-free") {
    auto fw = sample();
    fw.name = "fw.core/1";
    fw.pairs[0].fromZone = "a_";
    fw.pairs[0].toZone = "b";
    fw.pairs[1].fromZone = "a";
    fw.pairs[1].toZone = "_b";
    fw.pairs[2].fromZone = "dmz:1";
    fw.objects[Web].name = "group-web*";
    std::string t = emitNft(fw);
    std::string table = backends::NftablesBackend::tableName(fw);
    CHECK(table.rfind("netsep_fw_core_1_", 0) == 0);
    CHECK(table.size() == std::string("netsep_fw_core_1_").size() + 8);
    CHECK(contains(t, "jump z_a___b,\n"));
    CHECK(contains(t, "jump z_a___b_2,\n")); // same mangled name: numbered
    CHECK(contains(t, "\tchain z_a___b {\n"));
    CHECK(contains(t, "\tchain z_a___b_2 {\n"));
    CHECK(contains(t, "\tset group-web__v4_"));
    for (char bad : {'*', ':'})
        for (const char* kw : {"\tchain ", "\tset ", "jump ", "@"}) {
            std::size_t pos = 0;
            while ((pos = t.find(kw, pos)) != std::string::npos) {
                pos += std::string(kw).size();
                auto end = t.find_first_of(" ,\n", pos);
                CHECK_MESSAGE(t.substr(pos, end - pos).find(bad) == std::string::npos,
                              t.substr(pos, end - pos));
            }
        }
}

namespace {
// Policy strings that try to break out of comments, quotes and blocks.
LoweredFirewall hostile() {
    auto fw = sample();
    fw.policyName = "acme\n}\nflush ruleset\n#";
    fw.name = "fw\"; flush ruleset";
    auto& r = fw.pairs[1].rules[1];
    r.policyRule = "web\"in\n accept";
    r.where = "evil\".nsp:3\n\tflush ruleset # \\";
    r.identity = "x\"y";
    return fw;
}
} // namespace

TEST_CASE("backend nftables: hostile strings cannot inject") {
    std::string t = emitNft(hostile());
    CHECK_FALSE(contains(t, "\\"));
    // every quoted string holds only safe characters
    std::size_t quotes = 0;
    std::size_t lineStart = 0;
    while (lineStart < t.size()) {
        auto end = t.find('\n', lineStart);
        std::string line = t.substr(lineStart, end - lineStart);
        lineStart = end + 1;
        auto first = line.find_first_not_of('\t');
        CHECK_MESSAGE(line.compare(first == std::string::npos ? 0 : first, 5, "flush") != 0, line);
        if (line.rfind("#", 0) == 0)
            continue;
        for (char ch : line)
            quotes += ch == '"';
        std::size_t q = 0;
        while ((q = line.find('"', q)) != std::string::npos) {
            auto e = line.find('"', q + 1);
            REQUIRE(e != std::string::npos);
            for (char ch : line.substr(q + 1, e - q - 1))
                CHECK(backends::emit::isSafeTextChar(ch));
            q = e + 1;
        }
    }
    CHECK(quotes % 2 == 0);
    CHECK(contains(t, "log prefix \"netsep ACCEPT web_in_ accept \""));
    CHECK(contains(t, "comment \"policy rule web_in_ accept at evil_.nsp:3__flush ruleset _ _ - "
                      "identity x_y not enforced here\""));
    CHECK(contains(
        t,
        "# Generated by netsep from policy acme___flush ruleset__, firewall fw__ flush ruleset."));
}

TEST_CASE("backend nftables: long names stay within nft limits") {
    auto fw = sample();
    auto& r = fw.pairs[1].rules[1];
    r.policyRule = std::string(300, 'n');
    r.where = std::string(200, 'f') + ".nsp:1";
    fw.pairs[1].fromZone = std::string(300, 'z');
    std::string t = emitNft(fw);
    auto pos = t.find("comment \"policy rule nnn");
    REQUIRE(pos != std::string::npos);
    auto q = t.find('"', pos) + 1;
    auto e = t.find('"', q);
    CHECK(e - q <= 128);
    auto lp = t.find("log prefix \"netsep ACCEPT nnn");
    REQUIRE(lp != std::string::npos);
    q = t.find('"', lp) + 1;
    e = t.find('"', q);
    CHECK(e - q <= 63);
    auto ch = t.find("\tchain z_zzz");
    REQUIRE(ch != std::string::npos);
    auto nameEnd = t.find(' ', ch + 7);
    CHECK(nameEnd - (ch + 7) == 120);
}

TEST_CASE("backend nftables: invalid interface names are refused") {
    auto fw = sample();
    fw.pairs[1].inInterfaces = {"eth0\" . \"x"};
    CHECK_THROWS_AS(emitNft(fw), std::invalid_argument);
    fw = sample();
    fw.interfaces[0].name = "averyveryverylongif";
    CHECK_THROWS_AS(emitNft(fw), std::invalid_argument);
    fw = sample();
    fw.pairs[1].inInterfaces = {"eth*"};
    CHECK_THROWS_AS(emitNft(fw), std::invalid_argument);
    CHECK(backends::emit::isPlainInterfaceName("enp0s31f6.100"));
    CHECK(backends::emit::isPlainInterfaceName("br-lan_0"));
    CHECK_FALSE(backends::emit::isPlainInterfaceName(".."));
    CHECK_FALSE(backends::emit::isPlainInterfaceName(""));
    CHECK_FALSE(backends::emit::isPlainInterfaceName("eth0:1"));
}

TEST_CASE("backend nftables: output is deterministic") {
    auto fw = sample();
    std::string a = emitNft(fw);
    std::string b = emitNft(sample());
    CHECK(a == b);
    auto copy = fw;
    CHECK(emitNft(copy) == a);
}

TEST_CASE("backend nftables: empty firewall still loads") {
    LoweredFirewall fw;
    fw.name = "empty";
    fw.policyName = "p";
    std::string t = emitNft(fw);
    CHECK(contains(t, "\tmap zone_pairs {\n\t\ttype ifname . ifname : verdict\n\t}\n"));
}

TEST_CASE("backend nftables: nft -c accepts the script and it loads in a namespace") {
    if (!haveTool("nft")) {
        MESSAGE("nft is not installed; skipping");
        return;
    }
    auto fw = sample();
    fw.provenance = {"sha256:" + std::string(64, '0'), "0.1.0", "2026-11-22"};
    backends::NftablesBackend be;
    std::string file = writeTemp("nftables.nft", emitNft(fw));
    CHECK(run(fmt::format("nft -c -f {}", file)) == 0);

    LoweredFirewall empty;
    empty.name = "empty";
    std::string emptyFile = writeTemp("empty.nft", emitNft(empty));
    CHECK(run(fmt::format("nft -c -f {}", emptyFile)) == 0);
    std::string evilFile = writeTemp("evil.nft", emitNft(hostile()));
    CHECK(run(fmt::format("nft -c -f {}", evilFile)) == 0);
    std::filesystem::remove(evilFile);

    auto ks = be.killSwitchArtifacts(fw, "ai-egress");
    REQUIRE(ks.has_value());
    REQUIRE(ks->size() == 2);
    std::string off = writeTemp("ks-off.nft", (*ks)[0].content);
    std::string on = writeTemp("ks-on.nft", (*ks)[1].content);

    if (::geteuid() != 0 || !haveTool("ip")) {
        MESSAGE("not root or no ip(8); skipping the namespace load");
    } else {
        NetNs ns(fmt::format("nsbk-{}", ::getpid()));
        REQUIRE(ns.ok);
        std::string x = fmt::format("ip netns exec {} ", ns.name);
        CHECK(run(x + "nft -f " + file) == 0);
        CHECK(run(x + "nft -f " + file) == 0); // replacing itself works too
        std::string listed = writeTemp("listed.txt", "");
        CHECK(run(x + "nft list table inet netsep_fw-core > " + listed) == 0);
        CHECK(run(fmt::format("grep -q 'policy rule ai-vuln-scan' {}", listed)) == 0);
        CHECK(run(x + "nft -f " + off) == 0);
        CHECK(run(x + "nft list chain inet netsep_fw-core switch_ai-egress > " + listed) == 0);
        CHECK(run(fmt::format("grep -q 'accept' {}", listed)) != 0);
        CHECK(run(x + "nft -f " + on) == 0);
        CHECK(run(x + "nft list chain inet netsep_fw-core switch_ai-egress > " + listed) == 0);
        CHECK(run(fmt::format("grep -c 'accept' {} | grep -qx 1", listed)) == 0);
        // the kill switch of another compile fails and changes nothing
        auto other = fw;
        other.provenance.policyDigest = "sha256:" + std::string(64, '1');
        auto otherKs = be.killSwitchArtifacts(other, "ai-egress");
        std::string otherOff = writeTemp("ks-other.nft", (*otherKs)[0].content);
        CHECK(run(x + "nft -f " + otherOff + " 2>/dev/null") != 0);
        CHECK(run(x + "nft list chain inet netsep_fw-core switch_ai-egress > " + listed) == 0);
        CHECK(run(fmt::format("grep -c 'accept' {} | grep -qx 1", listed)) == 0);
        std::filesystem::remove(otherOff);
        std::filesystem::remove(listed);
    }
    std::filesystem::remove(file);
    std::filesystem::remove(emptyFile);
    std::filesystem::remove(off);
    std::filesystem::remove(on);
}
