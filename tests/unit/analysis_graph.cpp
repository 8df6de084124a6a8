// Policy graph and analyses on small hand-made policies with known answers.
#include "analysis/Analysis.hpp"
#include "analysis/ServiceSpace.hpp"
#include "analysis_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace netsep;
using namespace netsep::analysis;
using namespace netsep::testing;
using Kind = model::RuleKind;
using ZK = model::ZoneKind;
using Lv = model::Level;

namespace {

const PathSet* findSet(const model::Policy& p, const std::vector<PathSet>& sets,
                       const std::vector<Unit>& from, const std::vector<Unit>& to,
                       const std::string& a, const std::string& b) {
    for (const PathSet& ps : sets)
        if (p.endpointName(from[ps.from].endpoint) == a && p.endpointName(to[ps.to].endpoint) == b)
            return &ps;
    return nullptr;
}

const PathSet* lateral(const Result& r, const model::Policy& p, const std::string& a,
                       const std::string& b) {
    return findSet(p, r.lateral, r.exposed, r.targets, a, b);
}

const PathSet* exfil(const Result& r, const model::Policy& p, const std::string& a,
                     const std::string& b) {
    return findSet(p, r.exfiltration, r.exfilSources, r.exfilSinks, a, b);
}

} // namespace

TEST_CASE("analysis: service spaces") {
    using model::Proto;
    auto entry = [](Proto p, uint16_t lo, uint16_t hi) {
        model::ServiceEntry e;
        e.proto = p;
        e.ports = {lo, hi};
        return e;
    };
    ServiceSpace web = ServiceSpace::of(entry(Proto::Tcp, 80, 90));
    web.add(entry(Proto::Tcp, 443, 443));
    ServiceSpace hole = ServiceSpace::of(entry(Proto::Tcp, 85, 85));
    CHECK(web.subtract(hole).str() == "tcp/80-84,86-90,443");
    CHECK(web.intersect(hole) == hole);
    CHECK(web.unite(hole) == web);
    CHECK(ServiceSpace::all().isAll());
    CHECK(ServiceSpace::all().subtract(ServiceSpace::all()).empty());
    ServiceSpace notTcp =
        ServiceSpace::all().subtract(ServiceSpace::of(entry(Proto::Tcp, 0, 65535)));
    CHECK(notTcp.str() == "udp, icmp, icmpv6, other protocols");
    model::ServiceEntry echo;
    echo.proto = Proto::Icmp;
    echo.icmpType = 8;
    CHECK(ServiceSpace::of(echo).str() == "icmp/8");
    CHECK(ServiceSpace::of(echo).intersect(web).empty());

    SpaceTable t;
    auto a = t.intern(web), h = t.intern(hole);
    CHECK(t.subset(h, a));
    CHECK_FALSE(t.subset(a, h));
    CHECK(t.unite(a, h) == a);
    CHECK(t.subtract(h, a) == SpaceTable::kEmpty);
    CHECK(t.intersect(t.all(), h) == h);
}

TEST_CASE("analysis: teaching example - AI-exposed scanner shares a zone with analysts") {
    Bank bank;
    const model::Policy& p = bank.b.p;
    Result r = analyze(p, opts("2026-11-22"));
    REQUIRE(r.error.empty());

    std::vector<std::string> exposed;
    for (const Unit& u : r.exposed)
        exposed.push_back(p.endpointName(u.endpoint));
    CHECK(exposed == std::vector<std::string>{"internet", "scanners", "claude-api"});
    REQUIRE(r.targets.size() == 1);
    CHECK(p.endpointName(r.targets[0].endpoint) == "core");

    REQUIRE(r.lateral.size() == 1);
    const PathSet* ps = lateral(r, p, "scanners", "core");
    REQUIRE(ps);
    CHECK(ps->length == 2);
    CHECK(ps->shortestPaths == 1);
    CHECK(pathText(r, p, ps->paths[0]) ==
          "scanners → secops (intra-zone) → core (soc-triage, https)");
    // The smallest fix is the triage rule; isolating secops costs more.
    REQUIRE(r.cut.lateral.size() == 1);
    CHECK(r.cut.lateral[0].kind == CutItem::Kind::Rule);
    CHECK(r.cut.lateral[0].index == bank.socTriage);
    REQUIRE(ps->fix.size() == 1);
    CHECK(ps->fix[0].index == bank.socTriage);

    // The waived app -> core hop breaks internet's path.
    CHECK_FALSE(lateral(r, p, "internet", "core"));
    CHECK(r.exfiltration.empty());
    for (const ExpectationResult& e : r.expectations)
        CHECK_MESSAGE(e.passed, e.detail);
    REQUIRE(r.waivers.size() == 1);
    CHECK(r.waivers[0].live);
    CHECK(r.waivers[0].matched);
    CHECK(r.anomalies.empty());
}

TEST_CASE("analysis: moving the scanner to its own zone, or isolating secops, clears it") {
    {
        Bank bank(false, true);
        Result r = analyze(bank.b.p, opts("2026-11-22"));
        CHECK(r.lateral.empty());
    }
    {
        Bank bank(true, false);
        Result r = analyze(bank.b.p, opts("2026-11-22"));
        CHECK(r.lateral.empty());
        CHECK(r.summary.intraEdges == 2); // only dmz <-> web
    }
}

TEST_CASE("analysis: waivers before and after expiry") {
    Bank bank;
    const model::Policy& p = bank.b.p;
    Result r = analyze(p, opts("2027-02-01"));
    // ai-vuln-scan is still in force; the waiver is not.
    REQUIRE(r.waivers.size() == 1);
    CHECK_FALSE(r.waivers[0].live);
    const PathSet* ps = lateral(r, p, "internet", "core");
    REQUIRE(ps);
    CHECK(pathText(r, p, ps->paths[0]) ==
          "internet → web (web-in, https) → app (web-app, https) → core (app-db, postgres)");
    // expect no-path internet -> core now fails and names the rules on the path.
    const ExpectationResult& np = r.expectations[2];
    CHECK_FALSE(np.passed);
    REQUIRE(np.path);
    CHECK(std::find(np.rules.begin(), np.rules.end(), bank.appDb) != np.rules.end());
    // Both findings go through different last hops: the cut needs two rules,
    // or one shared earlier hop. Any cut must separate everything.
    CHECK(r.cut.lateral.size() == 2);

    SourceManager sm;
    bank.b.registerSource(sm);
    DiagnosticEngine diags(sm);
    report(r, p, diags);
    std::vector<std::string> codes;
    for (const Diagnostic& d : diags.sorted())
        codes.push_back(d.code);
    CHECK(std::count(codes.begin(), codes.end(), "LAT-001") == 2);
    CHECK(std::count(codes.begin(), codes.end(), "WAI-002") == 1);
    CHECK(std::count(codes.begin(), codes.end(), "EXP-003") == 1);
}

TEST_CASE("analysis: exceptions count only while in force") {
    Bank bank;
    const model::Policy& p = bank.b.p;
    Result before = analyze(p, opts("2026-06-01"));
    CHECK(before.lateral.empty());
    for (const Unit& u : before.exposed)
        CHECK(p.endpointName(u.endpoint) != "scanners");
    Result after = analyze(p, opts("2027-06-23"));
    for (const Unit& u : after.exposed)
        CHECK(p.endpointName(u.endpoint) != "scanners");
    CHECK(after.graph->findEdge(after.graph->vertexOf(bank.scanners),
                                after.graph->vertexOf(bank.claude)) == std::nullopt);
}

TEST_CASE("analysis: deny-overrides removes an edge; partial denies narrow it") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443), ssh = b.tcp("ssh", 22);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    auto mid = b.zone("mid", ZK::Internal, Lv::Sensitive);
    uint32_t direct = b.access("direct", {inet}, {dc}, {https});
    uint32_t block = b.deny("block", {inet}, {dc}, {https});
    b.access("two", {inet}, {mid}, {https, ssh});
    b.deny("no-ssh", {inet}, {mid}, {ssh});
    b.access("mid-dc", {mid}, {dc}, {ssh});
    Result r = analyze(b.p, opts());
    const PolicyGraph& g = *r.graph;
    CHECK_FALSE(g.findEdge(g.vertexOf(inet), g.vertexOf(dc)));
    auto e = g.findEdge(g.vertexOf(inet), g.vertexOf(mid));
    REQUIRE(e);
    CHECK(g.spaces.get(g.edges[*e].allowed).str() == "tcp/443");
    const PathSet* ps = lateral(r, b.p, "internet", "dc");
    REQUIRE(ps);
    CHECK(pathText(r, b.p, ps->paths[0]) == "internet → mid (two, https) → dc (mid-dc, ssh)");
    // `direct` allows nothing: a dead rule.
    REQUIRE(r.anomalies.size() == 1);
    CHECK(r.anomalies[0].kind == Anomaly::Kind::Dead);
    CHECK(r.anomalies[0].rule == direct);
    CHECK(r.anomalies[0].by == std::vector<uint32_t>{block});
}

TEST_CASE("analysis: no-pivot services are not movement steps but carry data") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443);
    auto syslog = b.udp("syslog", 514, true);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    auto dc = b.zone("core", ZK::Datacenter, Lv::Classified, true);
    auto logz = b.zone("logs", ZK::Internal, Lv::Sensitive);
    auto collector = b.group("collector", logz);
    auto ai = b.saas("claude-api");
    b.access("logs-in", {inet}, {logz}, {https});
    b.access("core-logs", {dc}, {logz}, {syslog});
    b.access("logs-core", {logz}, {dc}, {syslog});
    b.exception("ai", {collector}, {ai}, {https}, "2026-01-01", "2026-12-31");
    Result r = analyze(b.p, opts());
    // internet -> logs is a step, logs -> core only syslog: no lateral movement.
    CHECK(r.lateral.empty());
    // But core's data reaches the AI SaaS through the no-pivot flow.
    const PathSet* ps = exfil(r, b.p, "core", "claude-api");
    REQUIRE(ps);
    CHECK(pathText(r, b.p, ps->paths[0]) ==
          "core → collector (core-logs, syslog) → claude-api (ai, https)");
    // internet is also an exfiltration sink... but nothing flows back to it.
    CHECK_FALSE(exfil(r, b.p, "core", "internet"));
    REQUIRE_FALSE(r.cut.exfiltration.empty());
}

TEST_CASE("analysis: identity-narrowed rules do not cover the zone's named groups") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443);
    auto ops = b.zone("ops", ZK::Internal, Lv::Sensitive, false, true); // isolated
    auto tools = b.group("tools", ops);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    auto ai = b.saas("ai");
    uint32_t analyst = b.identity("analyst");
    b.exception("x", {tools}, {ai}, {https}, "2026-01-01", "2026-12-31");
    b.access("narrow", {ops}, {dc}, {https}, analyst);
    {
        Result r = analyze(b.p, opts());
        CHECK(r.lateral.empty());
    }
    b.access("wide", {ops}, {dc}, {https});
    {
        Result r = analyze(b.p, opts());
        const PathSet* ps = lateral(r, b.p, "tools", "dc");
        REQUIRE(ps);
        CHECK(pathText(r, b.p, ps->paths[0]) == "tools → dc (wide, https)");
    }
}

TEST_CASE("analysis: waivers by zone cover groups; unmatched waivers are reported") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443), ssh = b.tcp("ssh", 22);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    auto dmz = b.zone("dmz", ZK::Dmz, Lv::Open);
    auto web = b.group("web", dmz);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    b.access("in", {inet}, {web}, {https});
    b.access("down", {web}, {dc}, {https, ssh});
    b.waive({dmz}, {dc}, {https}, "2027-01-01"); // covers web -> dc, https only
    b.waive({inet}, {dc}, {}, "2027-01-01");     // matches nothing
    Result r = analyze(b.p, opts());
    const PathSet* ps = lateral(r, b.p, "internet", "dc");
    REQUIRE(ps);
    CHECK(pathText(r, b.p, ps->paths[0]) == "internet → web (in, https) → dc (down, ssh)");
    CHECK(r.waivers[0].matched);
    CHECK_FALSE(r.waivers[1].matched);
    b.waive({dmz}, {dc}, {ssh}, "2027-01-01");
    Result r2 = analyze(b.p, opts());
    CHECK(r2.lateral.empty());
    // Waived hops are left out of exfiltration too (dc has no way out here anyway).
    CHECK(r2.exfiltration.empty());
}

TEST_CASE("analysis: blast radius by level") {
    Bank bank;
    const model::Policy& p = bank.b.p;
    Result r = analyze(p, opts("2026-11-22"));
    for (const BlastRadius& br : r.blast) {
        const std::string src = p.endpointName(r.exposed[br.source].endpoint);
        std::vector<std::string> reach;
        for (uint32_t v : br.reachable)
            reach.push_back(r.graph->name(v, p));
        if (src == "internet") {
            CHECK(reach == std::vector<std::string>{"dmz", "app", "web"});
            CHECK(br.open == 2);
            CHECK(br.sensitive == 1);
            CHECK(br.classified == 0);
        } else if (src == "scanners") {
            CHECK(reach == std::vector<std::string>{"core", "secops", "claude-api"});
            CHECK(br.classified == 1);
            CHECK(br.unleveled == 1);
        } else {
            CHECK(reach.empty());
        }
    }
}

TEST_CASE("analysis: redundant rules") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443), ssh = b.tcp("ssh", 22);
    auto a = b.zone("a", ZK::Internal, Lv::Sensitive);
    auto c = b.zone("c", ZK::Internal, Lv::Sensitive);
    auto d = b.zone("d", ZK::Internal, Lv::Sensitive);
    uint32_t wide = b.access("wide", {a}, {c, d}, {https, ssh});
    uint32_t narrow = b.access("narrow", {a}, {c}, {https});
    uint32_t twin1 = b.access("twin1", {c}, {d}, {ssh});
    uint32_t twin2 = b.access("twin2", {c}, {d}, {ssh});
    Result r = analyze(b.p, opts());
    REQUIRE(r.anomalies.size() == 2);
    CHECK(r.anomalies[0].kind == Anomaly::Kind::Redundant);
    CHECK(r.anomalies[0].rule == narrow);
    CHECK(r.anomalies[0].by == std::vector<uint32_t>{wide});
    CHECK(r.anomalies[1].rule == twin2);
    CHECK(r.anomalies[1].by == std::vector<uint32_t>{twin1});
}

TEST_CASE("analysis: expectations name the rules that break them") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443), ssh = b.tcp("ssh", 22);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    auto adm = b.zone("admin", ZK::Admin, Lv::Sensitive);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    auto ai = b.saas("ai");
    b.access("admin-ssh", {adm}, {dc}, {ssh});
    uint32_t noSsh = b.deny("no-ssh", {adm}, {dc}, {ssh});
    uint32_t leak = b.access("leak", {inet}, {dc}, {https});
    uint32_t late = b.exception("late", {adm}, {ai}, {https}, "2027-01-01", "2027-06-01");
    using EK = model::Expectation::Kind;
    b.expect(EK::Allow, {adm}, {dc}, {ssh});
    b.expect(EK::Deny, {inet}, {dc});
    b.expect(EK::NoPath, {inet}, {dc});
    b.expect(EK::Allow, {adm}, {ai}, {https});
    b.expect(EK::Deny, {inet}, {adm});
    Result r = analyze(b.p, opts());
    REQUIRE(r.expectations.size() == 5);
    CHECK_FALSE(r.expectations[0].passed);
    CHECK(r.expectations[0].rules == std::vector<uint32_t>{noSsh});
    CHECK(r.expectations[0].detail == "admin -> dc does not allow tcp/22: denied by no-ssh");
    CHECK_FALSE(r.expectations[1].passed);
    CHECK(r.expectations[1].rules == std::vector<uint32_t>{leak});
    CHECK_FALSE(r.expectations[2].passed);
    CHECK(r.expectations[2].rules == std::vector<uint32_t>{leak});
    CHECK_FALSE(r.expectations[3].passed);
    CHECK(r.expectations[3].rules == std::vector<uint32_t>{late});
    CHECK(r.expectations[4].passed);

    SourceManager sm;
    b.registerSource(sm);
    DiagnosticEngine diags(sm);
    report(r, b.p, diags);
    size_t exp = 0;
    for (const Diagnostic& d : diags.sorted()) {
        if (d.code.rfind("EXP-", 0) != 0)
            continue;
        ++exp;
        CHECK(d.severity == Severity::Error);
        CHECK(d.span.valid());
        CHECK_FALSE(d.notes.empty());
    }
    CHECK(exp == 4);
}

TEST_CASE("analysis: intra-zone flows fail expect deny unless the zone is isolated") {
    PolicyBuilder b;
    auto z = b.zone("ops", ZK::Internal, Lv::Sensitive);
    auto g = b.group("tools", z);
    b.expect(model::Expectation::Kind::Deny, {g}, {z});
    CHECK_FALSE(analyze(b.p, opts()).expectations[0].passed);
    b.p.zones[0].isolated = true;
    CHECK(analyze(b.p, opts()).expectations[0].passed);
}
