// Renderers of analysis results: text, JSON, DOT, SARIF, diagnostics JSON.
// The hand-built teaching example is also compared with golden files under
// tests/golden/analysis/lib (regenerate with NETSEP_UPDATE_GOLDEN=1).
#include "analysis/Analysis.hpp"
#include "analysis_fixture.hpp"
#include "report/Render.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace netsep;
using namespace netsep::analysis;
using namespace netsep::testing;
using nlohmann::json;

namespace {

void golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(NETSEP_SOURCE_DIR) + "/tests/golden/analysis/lib/" + name;
    const char* update = std::getenv("NETSEP_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing golden file " << path << " (NETSEP_UPDATE_GOLDEN=1)");
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK_MESSAGE(ss.str() == actual, "golden mismatch: " << path);
}

struct Rendered {
    Bank bank;
    SourceManager sources;
    Result result;
    std::vector<Diagnostic> diags;

    explicit Rendered(const char* asOf) {
        bank.b.registerSource(sources);
        result = analyze(bank.b.p, opts(asOf));
        DiagnosticEngine engine(sources);
        analysis::report(result, bank.b.p, engine);
        diags = engine.sorted();
    }
};

} // namespace

TEST_CASE("analysis: text rendering of paths") {
    Rendered r("2027-02-01");
    const std::string text = report::pathsText(r.result, r.bank.b.p);
    CHECK(text.find("  1. internet → web (web-in, https) → app (web-app, https) → core (app-db, "
                    "postgres)\n") != std::string::npos);
    CHECK(text.find("[LAT-001] group scanners → zone core\n") != std::string::npos);
    CHECK(text.find("  1. scanners → secops (intra-zone) → core (soc-triage, https)\n") !=
          std::string::npos);
    CHECK(text.find("  fix: remove or narrow rule soc-triage\n") != std::string::npos);
    // `isolated` is an assumption: the suggestion says so.
    CHECK(text.find("  or: move group scanners into a zone of its own, or declare zone secops "
                    "isolated (only if the network keeps its hosts apart: netsep emits no rule "
                    "for traffic inside a zone)\n") != std::string::npos);
    golden("bank-2027-02-01.txt", text);
    golden("bank-2026-11-22.txt", report::pathsText(Rendered("2026-11-22").result, r.bank.b.p));
}

TEST_CASE("analysis: diagnostics are located at the policy statements") {
    Rendered r("2026-11-22");
    REQUIRE(r.diags.size() == 1);
    const Diagnostic& d = r.diags[0];
    CHECK(d.code == "LAT-001");
    CHECK(d.severity == Severity::Error);
    // At the exception that exposes the scanner.
    CHECK(d.span.line == r.bank.b.p.rules[r.bank.aiScan].span.line);
    CHECK(d.message ==
          "lateral movement: group scanners (holds exception ai-vuln-scan) reaches zone core "
          "(crown-jewel, level classified, kind datacenter) in 2 hops: scanners → secops "
          "(intra-zone) → core (soc-triage, https)");
    REQUIRE(d.notes.size() == 4);
    CHECK(d.notes[0].first.line == r.bank.b.p.zones[r.bank.secops.index].span.line);
    CHECK(d.notes[1].first.line == r.bank.b.p.rules[r.bank.socTriage].span.line);
    CHECK(d.notes[2].second.rfind("fix: remove or narrow rule soc-triage", 0) == 0);
    CHECK(d.notes[3].second ==
          "or: move group scanners into a zone of its own, or declare zone secops isolated (only "
          "if the network keeps its hosts apart: netsep emits no rule for traffic inside a zone)");
}

TEST_CASE("analysis: JSON rendering") {
    Rendered r("2027-02-01");
    const std::string text = report::pathsJson(r.result, r.bank.b.p, &r.sources);
    json j = json::parse(text);
    CHECK(j["policy"] == "test");
    CHECK(j["asOf"] == "2027-02-01");
    REQUIRE(j["lateralMovement"].size() == 2);
    const json& first = j["lateralMovement"][0];
    CHECK(first["from"] == "internet");
    CHECK(first["to"] == "core");
    CHECK(first["length"] == 3);
    CHECK(first["paths"][0]["text"] ==
          "internet → web (web-in, https) → app (web-app, https) → core (app-db, postgres)");
    CHECK(first["paths"][0]["hops"][2]["rules"][0]["name"] == "app-db");
    CHECK(first["paths"][0]["hops"][2]["rules"][0]["services"][0] == "postgres");
    CHECK(first["paths"][0]["hops"][2]["rules"][0]["where"].get<std::string>().rfind("test.nsp:",
                                                                                     0) == 0);
    CHECK(j["waivers"][0]["live"] == false);
    CHECK(j["expectations"][2]["passed"] == false);
    CHECK(j["minimumCut"]["lateralMovement"].size() == 2);
    golden("bank-2027-02-01.json", text);

    Options bad = opts();
    bad.from = "nope";
    json e = json::parse(report::pathsJson(analyze(r.bank.b.p, bad), r.bank.b.p));
    CHECK(e["error"] == "no zone, group or saas endpoint named 'nope'");
}

TEST_CASE("analysis: DOT rendering") {
    Rendered r("2026-11-22");
    const std::string dot = report::pathsDot(r.result, r.bank.b.p);
    CHECK(dot.rfind("digraph netsep {\n", 0) == 0);
    CHECK(dot.back() == '\n');
    CHECK(dot.find("subgraph \"cluster_secops\"") != std::string::npos);
    CHECK(dot.find("\"zone:core\" [label=\"core\\ndatacenter, classified, crown-jewel\", "
                   "shape=box, fillcolor=\"#f6c4c4\", penwidth=2.5];") != std::string::npos);
    // The witness hop secops -> core is red.
    CHECK(dot.find("\"zone:secops\" -> \"zone:core\" [label=\"soc-triage: https\", style=solid, "
                   "color=\"#d00000\"") != std::string::npos);
    // Balanced braces and quotes.
    CHECK(std::count(dot.begin(), dot.end(), '{') == std::count(dot.begin(), dot.end(), '}'));
    size_t quotes = 0;
    for (size_t i = 0; i < dot.size(); ++i)
        quotes += dot[i] == '"' && (i == 0 || dot[i - 1] != '\\');
    CHECK(quotes % 2 == 0);
    golden("bank-2026-11-22.dot", dot);
}

TEST_CASE("analysis: SARIF 2.1.0") {
    Rendered r("2027-02-01");
    const std::string text = report::sarif(r.diags, r.sources);
    json j = json::parse(text);
    CHECK(j["version"] == "2.1.0");
    CHECK(j["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    const json& run = j["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "netsep");
    std::vector<std::string> ids;
    for (const json& rule : run["tool"]["driver"]["rules"])
        ids.push_back(rule["id"]);
    CHECK(ids == std::vector<std::string>{"EXP-003", "LAT-001", "WAI-002"});
    REQUIRE(run["results"].size() == r.diags.size());
    for (size_t i = 0; i < r.diags.size(); ++i) {
        const json& res = run["results"][i];
        CHECK(res["ruleId"] == r.diags[i].code);
        CHECK(ids[res["ruleIndex"].get<size_t>()] == r.diags[i].code);
        const json& loc = res["locations"][0]["physicalLocation"];
        CHECK(loc["artifactLocation"]["uri"] == "test.nsp");
        CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
        CHECK(loc["region"]["startLine"] == r.diags[i].span.line);
        CHECK(loc["region"]["startColumn"] == 1);
        CHECK(loc["region"]["endColumn"] == 5);
    }
    golden("bank-2027-02-01.sarif", text);
}

TEST_CASE("analysis: SARIF columns are UTF-16 code units; odd paths are percent-encoded") {
    SourceManager sm;
    sm.add("dir with space/p.nsp", "x", "# 한 \"🙂\" x\n");
    Diagnostic d;
    d.code = "LAT-001";
    d.message = "m";
    d.span = {0, 1, 9, 1}; // the x: columns count code points, as the lexers do
    json j = json::parse(report::sarif({d}, sm));
    const json& loc = j["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "dir%20with%20space/p.nsp");
    CHECK(loc["region"]["startColumn"] == 10); // "# 한 \"🙂\" " = 2+1+1+1+2+1+1 units
    CHECK(loc["region"]["endColumn"] == 11);
}

TEST_CASE("analysis: diagnostics JSON") {
    Rendered r("2027-02-01");
    json j = json::parse(report::diagnosticsJson(r.diags, r.sources));
    CHECK(j["summary"]["errors"] == 3);
    CHECK(j["summary"]["warnings"] == 1);
    REQUIRE(j["diagnostics"].size() == 4);
    for (const json& d : j["diagnostics"]) {
        CHECK(d["file"] == "test.nsp");
        CHECK(d["line"].get<int>() > 0);
        CHECK(d.contains("notes"));
    }
}
