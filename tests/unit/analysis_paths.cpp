// Alternatives (Yen), path counts, minimum cuts and --from/--to filters.
#include "analysis/Analysis.hpp"
#include "analysis_fixture.hpp"

#include <doctest/doctest.h>

using namespace netsep;
using namespace netsep::analysis;
using namespace netsep::testing;
using ZK = model::ZoneKind;
using Lv = model::Level;

namespace {

struct Diamond {
    PolicyBuilder b;
    model::Endpoint inet, a, bb, c, d, dc;
    uint32_t https;
    Diamond() {
        https = b.tcp("https", 443);
        inet = b.zone("internet", ZK::Internet, std::nullopt);
        a = b.zone("a", ZK::Internal, Lv::Sensitive);
        bb = b.zone("b", ZK::Internal, Lv::Sensitive);
        c = b.zone("c", ZK::Internal, Lv::Sensitive);
        d = b.zone("d", ZK::Internal, Lv::Sensitive);
        dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
        b.access("r1", {inet}, {a}, {https});
        b.access("r2", {inet}, {bb}, {https});
        b.access("r3", {a}, {dc}, {https});
        b.access("r4", {bb}, {dc}, {https});
        b.access("r5", {inet}, {c}, {https});
        b.access("r6", {c}, {d}, {https});
        b.access("r7", {d}, {dc}, {https});
    }
};

std::vector<std::string> ruleNames(const model::Policy& p, const std::vector<CutItem>& cut) {
    std::vector<std::string> out;
    for (const CutItem& c : cut)
        out.push_back(c.kind == CutItem::Kind::Rule ? p.rules[c.index].name
                                                    : "isolate " + p.zones[c.index].name);
    return out;
}

} // namespace

TEST_CASE("analysis: k shortest paths (Yen) and shortest-path counts") {
    Diamond dm;
    const model::Policy& p = dm.b.p;
    Result r = analyze(p, opts("2026-11-22", 3));
    REQUIRE(r.lateral.size() == 1);
    const PathSet& ps = r.lateral[0];
    CHECK(ps.length == 2);
    CHECK(ps.shortestPaths == 2);
    REQUIRE(ps.paths.size() == 3);
    CHECK(names(r, p, ps.paths[0]) == "internet a dc");
    CHECK(names(r, p, ps.paths[1]) == "internet b dc");
    CHECK(names(r, p, ps.paths[2]) == "internet c d dc");

    Result r1 = analyze(p, opts("2026-11-22", 1));
    CHECK(r1.lateral[0].paths.size() == 1);
    Result r9 = analyze(p, opts("2026-11-22", 9));
    CHECK(r9.lateral[0].paths.size() == 3); // only three simple paths exist

    Options capped = opts("2026-11-22", 3);
    capped.maxAlternativeSets = 0;
    Result rc = analyze(p, capped);
    CHECK(rc.lateral[0].paths.size() == 1);
    CHECK(rc.lateral[0].alternativesSkipped);

    // Three disjoint routes: every one needs its own rule removed.
    CHECK(r.cut.lateral.size() == 3);
}

TEST_CASE("analysis: path counts multiply along layers") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    std::vector<model::Endpoint> l1, l2;
    for (int i = 0; i < 4; ++i)
        l1.push_back(b.zone("x" + std::to_string(i), ZK::Internal, Lv::Sensitive));
    for (int i = 0; i < 5; ++i)
        l2.push_back(b.zone("y" + std::to_string(i), ZK::Internal, Lv::Sensitive));
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    b.access("in", {inet}, l1, {https});
    b.access("mesh", l1, l2, {https});
    b.access("down", l2, {dc}, {https});
    Result r = analyze(b.p, opts());
    REQUIRE(r.lateral.size() == 1);
    CHECK(r.lateral[0].length == 3);
    CHECK(r.lateral[0].shortestPaths == 20);
    // One rule gadget per rule: the cut is a single rule, not 4 or 5 edges.
    CHECK(r.cut.lateral.size() == 1);
}

TEST_CASE("analysis: the cut counts rules, not edges") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443);
    auto inet = b.zone("internet", ZK::Internet, std::nullopt);
    auto a = b.zone("a", ZK::Internal, Lv::Sensitive);
    auto c = b.zone("c", ZK::Internal, Lv::Sensitive);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified);
    auto dc2 = b.zone("dc2", ZK::Datacenter, Lv::Classified);
    b.access("in-a", {inet}, {a}, {https});
    b.access("in-c", {inet}, {c}, {https});
    b.access("spread", {a, c}, {dc, dc2}, {https}); // four edges, one rule
    Result r = analyze(b.p, opts());
    CHECK(r.lateral.size() == 2);
    CHECK(ruleNames(b.p, r.cut.lateral) == std::vector<std::string>{"spread"});
    for (const PathSet& ps : r.lateral)
        CHECK(ruleNames(b.p, ps.fix) == std::vector<std::string>{"spread"});
}

TEST_CASE("analysis: isolation is suggested only when no rule removal cuts") {
    PolicyBuilder b;
    auto https = b.tcp("https", 443);
    auto dc = b.zone("dc", ZK::Datacenter, Lv::Classified, true);
    auto tools = b.group("tools", dc);
    auto ops = b.zone("ops", ZK::Internal, Lv::Sensitive);
    auto probe = b.group("probe", ops);
    auto ai = b.saas("ai");
    b.exception("x", {probe}, {ai}, {https}, "2026-01-01", "2026-12-31");
    b.access("ops-tools", {ops}, {tools}, {https});
    Result r = analyze(b.p, opts());
    // probe -> ops (intra) -> tools (ops-tools): cutting the rule suffices.
    REQUIRE(r.lateral.size() == 1);
    CHECK(ruleNames(b.p, r.cut.lateral) == std::vector<std::string>{"ops-tools"});

    // An exposed group inside the crown jewel: a zero-length finding.
    b.exception("y", {tools}, {ai}, {https}, "2026-01-01", "2026-12-31");
    Result r2 = analyze(b.p, opts());
    bool zero = false;
    for (const PathSet& ps : r2.lateral)
        zero =
            zero || (ps.length == 0 && b.p.endpointName(r2.exposed[ps.from].endpoint) == "tools");
    CHECK(zero);
    CHECK(r2.cut.uncuttable.size() == 1);
}

TEST_CASE("analysis: --from/--to filters") {
    Diamond dm;
    const model::Policy& p = dm.b.p;
    Options o = opts();
    o.from = "a";
    o.to = "dc";
    Result r = analyze(p, o);
    REQUIRE(r.error.empty());
    CHECK(r.filtered);
    REQUIRE(r.lateral.size() == 1);
    CHECK(names(r, p, r.lateral[0].paths[0]) == "a dc");

    o.from = "nowhere";
    Result bad = analyze(p, o);
    CHECK(bad.error == "no zone, group or saas endpoint named 'nowhere'");
    CHECK_FALSE(bad.graph);

    Options to = opts();
    to.to = "d"; // not a target: still searched
    Result rt = analyze(p, to);
    REQUIRE(rt.lateral.size() == 1);
    CHECK(names(rt, p, rt.lateral[0].paths[0]) == "internet c d");
}

TEST_CASE("analysis: witness paths are stable across filters") {
    Diamond dm;
    const model::Policy& p = dm.b.p;
    Result full = analyze(p, opts());
    Options o = opts();
    o.from = "internet";
    Result one = analyze(p, o);
    REQUIRE(one.lateral.size() == 1);
    CHECK(pathText(full, p, full.lateral[0].paths[0]) == pathText(one, p, one.lateral[0].paths[0]));
}
