// Kill-switch drill: the record's seal (parse and verify), the audit's
// verdict per group from the records, and the drill plan built from a
// policy (no namespaces here; tests/drill/run.py drills on real packets).
#include "TestPolicy.hpp"

#include "audit/DrillEvidence.hpp"
#include "drill/DrillPlan.hpp"
#include "drill/DrillRecord.hpp"

#include <doctest/doctest.h>

using namespace netsep;
using nlohmann::json;

namespace {

json sampleRecord(const std::string& group, const std::string& started, const std::string& result,
                  const std::string& digest) {
    return {
        {"format", drill::kDrillRecordFormat},
        {"started_utc", started},
        {"finished_utc", started},
        {"netsep_version", "0.1.0"},
        {"policy", {{"path", "p.nsp"}, {"name", "p"}, {"digest", digest}}},
        {"as_of", "2026-11-22"},
        {"firewall", "fw"},
        {"backend", "nftables"},
        {"group", group},
        {"operator", "op:lee"},
        {"ticket", "CHG-1"},
        {"exceptions", json::array({{{"name", "scan"}}})},
        {"exceptions_not_covered", json::array()},
        {"flows", json::array({{{"role", "exception"},
                                {"rule", "scan"},
                                {"family", "ipv4"},
                                {"src", "10.99.2.17"},
                                {"dst", "203.0.113.1"},
                                {"port", 443},
                                {"as_expected", result == "passed"}}})},
        {"timings_ms", {{"engage", 12}, {"engage_to_cut", 15}, {"restore", 11}}},
        {"result", result},
        {"failed_checks", result == "passed" ? json::array() : json::array({"engaged: not cut"})}};
}

drill::DrillRecord sealed(json j, const std::string& file) {
    std::string text = drill::sealRecord(j);
    return drill::parseDrillRecord(text, file);
}

const char* kPolicy = R"(service https tcp/443
service ssh tcp/22
zone internet { kind internet level open networks 0.0.0.0/0 }
zone app { kind internal level sensitive networks 10.99.2.0/24 }
zone dmz { kind dmz level open networks 10.99.3.0/24 }
group scanners in app { 10.99.2.16/28 }
saas ai { provider "p" networks 10.99.200.0/24 screening "FSI-1" on 2026-10-01 }
saas fqdnonly { provider "q" fqdn api.q.example screening "FSI-2" on 2026-10-01 }
access app-web { from app to dmz service https justification "web" owner "o" }
exception scan { from scanners to ai service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch ks log }
exception old { from scanners to ai service ssh purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2026-10-01
  approved-by "ciso:kim" kill-switch ks log }
exception dns { from scanners to fqdnonly service https purpose vulnerability-assessment
  basis no-action-letter "NAL-1" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch names log }
firewall fw { backend nftables interface e0 zone internet interface e1 zone app
  interface e2 zone dmz }
firewall fw2 { backend iptables interface x0 zone internet interface x1 zone app }
)";

} // namespace

TEST_CASE("drill record: sealed, parsed back, every edit detected") {
    json j = sampleRecord("ks", "2026-11-20T10:00:00Z", "passed", "sha256:aa");
    std::string text = drill::sealRecord(j);
    auto r = drill::parseDrillRecord(text, "r.json");
    REQUIRE(r.intact);
    CHECK(r.problem.empty());
    CHECK(r.group == "ks");
    CHECK(r.date == "2026-11-20");
    CHECK(r.result == "passed");
    CHECK(r.operatorName == "op:lee");
    CHECK(r.ticket == "CHG-1");
    CHECK(r.policyDigest == "sha256:aa");
    CHECK(r.exceptions == std::vector<std::string>{"scan"});
    REQUIRE(r.flows.size() == 1);
    CHECK(r.flows[0].port == 443);
    CHECK(r.engageToCutMs == 15);
    // The digest is over the canonical content: indentation does not matter.
    auto compact = json::parse(text).dump();
    CHECK(drill::parseDrillRecord(compact, "c.json").intact);

    for (const char* field : {"result", "operator", "started_utc", "group"}) {
        json edited = json::parse(text);
        edited[field] = edited[field].get<std::string>() + "x";
        auto bad = drill::parseDrillRecord(edited.dump(), "e.json");
        CHECK_MESSAGE(!bad.intact, field);
        CHECK(bad.problem.find("record_sha256") != std::string::npos);
    }
    json timing = json::parse(text);
    timing["timings_ms"]["engage_to_cut"] = 1;
    CHECK_FALSE(drill::parseDrillRecord(timing.dump(), "t.json").intact);
    json unsealed = json::parse(text);
    unsealed.erase("record_sha256");
    CHECK_FALSE(drill::parseDrillRecord(unsealed.dump(), "u.json").intact);
    // Resealing by someone else is possible (the digest is not a signature),
    // but a record missing what the audit needs is still refused.
    json missing = sampleRecord("ks", "2026-11-20T10:00:00Z", "passed", "sha256:aa");
    missing.erase("operator");
    CHECK_FALSE(sealed(missing, "m.json").intact);
    CHECK_FALSE(drill::parseDrillRecord("not json", "n.json").intact);
    CHECK_FALSE(drill::parseDrillRecord("{\"format\":\"other\"}", "o.json").intact);
}

TEST_CASE("drill evidence: last drill per group, age, failures, other versions, tampering") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto asOf = *model::Date::parse("2026-11-22");
    std::vector<drill::DrillRecord> records = {
        sealed(sampleRecord("ks", "2026-11-01T09:00:00Z", "failed", "sha256:aa"), "1.json"),
        sealed(sampleRecord("ks", "2026-11-20T09:00:00Z", "passed", "sha256:aa"), "2.json"),
        sealed(sampleRecord("other", "2026-11-20T09:00:00Z", "passed", "sha256:aa"), "3.json"),
    };
    auto tampered = drill::parseDrillRecord("{}", "4.json");
    records.push_back(tampered);

    auto e = audit::drillEvidence(records, c->policy, "sha256:aa", asOf, 90);
    REQUIRE(e.groups.size() == 2); // ks, names: in policy order
    CHECK(e.groups[0].group == "ks");
    CHECK(e.groups[0].exceptions.size() == 2);
    CHECK(e.groups[0].drills == 2);
    REQUIRE(e.groups[0].last);
    CHECK(e.groups[0].last->file == "2.json"); // the newest, not the first
    CHECK(e.groups[0].state == audit::GroupDrill::State::Current);
    CHECK(e.groups[0].ageDays == 2);
    CHECK(e.groups[0].samePolicy);
    CHECK(e.groups[1].group == "names");
    CHECK(e.groups[1].state == audit::GroupDrill::State::Never);
    REQUIRE(e.rejected.size() == 1);
    CHECK(e.rejected[0].file == "4.json");
    CHECK(audit::lastDrillDate(&e, "ks") == "2026-11-20");
    CHECK(audit::lastDrillDate(&e, "names").empty());
    CHECK(audit::lastDrillDate(nullptr, "ks").empty());

    // Too old: 2026-11-20 + 91 days.
    auto later = audit::drillEvidence(records, c->policy, "sha256:aa",
                                      *model::Date::parse("2027-02-19"), 90);
    CHECK(later.groups[0].state == audit::GroupDrill::State::Stale);
    DiagnosticEngine staleDiags(c->sources);
    later.dir = "records";
    audit::reportDrillFindings(later, c->policy, staleDiags);
    bool stale = false;
    for (const auto& d : staleDiags.sorted())
        stale =
            stale || (d.code == "DRL-002" && d.message.find("91 days ago") != std::string::npos);
    CHECK(stale);
    CHECK(
        audit::drillEvidence(records, c->policy, "sha256:aa", *model::Date::parse("2027-02-18"), 90)
            .groups[0]
            .state == audit::GroupDrill::State::Current);
    // The last drill failed; another policy version.
    records.push_back(
        sealed(sampleRecord("ks", "2026-11-21T09:00:00Z", "failed", "sha256:bb"), "5.json"));
    auto failed = audit::drillEvidence(records, c->policy, "sha256:aa", asOf, 90);
    CHECK(failed.groups[0].state == audit::GroupDrill::State::Failed);
    CHECK_FALSE(failed.groups[0].samePolicy);

    // The findings, at the group's first exception.
    DiagnosticEngine diags(c->sources);
    failed.dir = "records";
    audit::reportDrillFindings(failed, c->policy, diags);
    std::vector<std::string> codes;
    for (const auto& d : diags.sorted())
        codes.push_back(d.code);
    std::sort(codes.begin(), codes.end());
    CHECK(codes == std::vector<std::string>{"DRL-001", "DRL-003", "DRL-004", "DRL-005"});
}

TEST_CASE("drill plan: topology and flows from the policy") {
    auto c = test::compileText(kPolicy);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    drill::DrillRequest req{"ks", "", "nftables", *model::Date::parse("2026-11-22"), {}};
    std::string error;
    auto plan = drill::planDrill(c->policy, c->sources, req, error);
    // Two firewalls carry ks: the drill must be told which.
    CHECK_FALSE(plan);
    CHECK(error.find("--firewall") != std::string::npos);

    req.firewall = "fw";
    plan = drill::planDrill(c->policy, c->sources, req, error);
    REQUIRE_MESSAGE(plan, error);
    CHECK(plan->firewall == "fw");
    CHECK(plan->exceptions == std::vector<std::string>{"scan"});
    REQUIRE(plan->notCovered.size() == 1);
    CHECK(plan->notCovered[0].first == "old"); // expired on the as-of date
    REQUIRE(plan->flows.size() == 2);
    const auto& ex = plan->flows[0];
    CHECK(ex.role == drill::DrillFlow::Role::Exception);
    CHECK(ex.src == "10.99.2.17"); // a member of the group, not its network address
    CHECK(ex.dst == "10.99.200.1");
    CHECK(ex.port == 443);
    CHECK(plan->segments[ex.srcSegment].iface == "e1");
    CHECK(plan->segments[ex.dstSegment].iface == "e0"); // saas behind the internet zone
    const auto& ctl = plan->flows[1];
    CHECK(ctl.role == drill::DrillFlow::Role::Control);
    CHECK(ctl.rule == "app-web");
    CHECK(plan->segments[ctl.dstSegment].iface == "e2");

    // --endpoint-address: inside the endpoint's networks only.
    req.endpointAddresses["ai"] = "10.99.200.77";
    plan = drill::planDrill(c->policy, c->sources, req, error);
    REQUIRE(plan);
    CHECK(plan->flows[0].dst == "10.99.200.77");
    req.endpointAddresses["ai"] = "192.0.2.1";
    CHECK_FALSE(drill::planDrill(c->policy, c->sources, req, error));
    CHECK(error.find("not an address of the endpoint") != std::string::npos);
    req.endpointAddresses.clear();

    // A backend the firewall is not compiled for.
    req.backend = "iptables";
    CHECK_FALSE(drill::planDrill(c->policy, c->sources, req, error));

    // FQDN-only endpoints: nothing the Linux backends emit.
    drill::DrillRequest fq{"names", "fw", "nftables", *model::Date::parse("2026-11-22"), {}};
    CHECK_FALSE(drill::planDrill(c->policy, c->sources, fq, error));
    CHECK(error.find("FQDNs only") != std::string::npos);

    drill::DrillRequest none{"nope", "", "nftables", *model::Date::parse("2026-11-22"), {}};
    CHECK_FALSE(drill::planDrill(c->policy, c->sources, none, error));
}
