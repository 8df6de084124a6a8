// The analysis on parsed policies: the teaching example as written (rejected),
// the shipped examples/bank.nsp (the scanner in its own zone: clean), and
// the exfiltration case.
#include "analysis/Analysis.hpp"
#include "analysis_fixture.hpp"
#include "parse/PolicyLoader.hpp"
#include "sema/Sema.hpp"

#include <doctest/doctest.h>

using namespace netsep;
using namespace netsep::analysis;
using namespace netsep::testing;

namespace {

struct Loaded {
    SourceManager sources;
    DiagnosticEngine diags{sources};
    model::Policy policy;

    explicit Loaded(const std::string& relative) {
        ast::Program program;
        std::string ioError;
        const std::string path = std::string(NETSEP_SOURCE_DIR) + "/" + relative;
        REQUIRE(loadPolicy(path, sources, diags, program, ioError) == LoadStatus::Ok);
        REQUIRE(sema::buildPolicy(program, diags, policy));
        REQUIRE_FALSE(diags.hasErrors());
    }
};

std::vector<std::string> codesOf(const Loaded& l, const Result& r) {
    DiagnosticEngine d(l.sources);
    analysis::report(r, l.policy, d);
    std::vector<std::string> out;
    for (const Diagnostic& x : d.sorted())
        out.push_back(x.code);
    return out;
}

} // namespace

TEST_CASE("analysis: parsed teaching example is rejected with the path and a fix") {
    Loaded l("tests/golden/analysis/spec-example.nsp");
    Result r = analyze(l.policy, opts("2026-11-22"));
    REQUIRE(r.lateral.size() == 1);
    CHECK(pathText(r, l.policy, r.lateral[0].paths[0]) ==
          "scanners → secops (intra-zone) → core (soc-triage, https)");
    REQUIRE(r.lateral[0].fix.size() == 1);
    CHECK(cutItemText(l.policy, r.lateral[0].fix[0]) == "remove or narrow rule soc-triage");
    CHECK(codesOf(l, r) == std::vector<std::string>{"LAT-001"});
    for (const ExpectationResult& e : r.expectations)
        CHECK(e.passed);

    // After the waiver of app -> core expires, the internet path appears too.
    Result later = analyze(l.policy, opts("2027-02-01"));
    CHECK(later.lateral.size() == 2);
    CHECK(codesOf(l, later) ==
          std::vector<std::string>{"LAT-001", "LAT-001", "EXP-003", "WAI-002"});
}

TEST_CASE("analysis: parsed examples/bank.nsp (scanner in its own zone) is clean") {
    Loaded l("examples/bank.nsp");
    Result r = analyze(l.policy, opts("2026-11-22"));
    CHECK(r.lateral.empty());
    CHECK(r.exfiltration.empty());
    CHECK(codesOf(l, r).empty());
}

TEST_CASE("analysis: parsed exfiltration towards an AI SaaS") {
    Loaded l("tests/golden/analysis/exfil.nsp");
    Result r = analyze(l.policy, opts("2026-11-22"));
    CHECK(r.lateral.empty());
    REQUIRE(r.exfiltration.size() == 1);
    CHECK(pathText(r, l.policy, r.exfiltration[0].paths[0]) ==
          "ledger → log-ai (ledger-logs, syslog) → summariser (log-summaries, https)");
    CHECK(codesOf(l, r) == std::vector<std::string>{"EXF-001"});
}
