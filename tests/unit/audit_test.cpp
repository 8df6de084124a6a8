#include "TestPolicy.hpp"
#include "audit/Audit.hpp"

#include <doctest/doctest.h>

#include <map>

using netsep::test::compileText;
using namespace netsep;

namespace {

// A compliant policy; each test case replaces one line to violate one rule.
std::map<std::string, std::string> baseParts() {
    return {
        {"services", "service https tcp/443\nservice ssh tcp/22\nservice dns udp/53\n"
                     "service tls8443 tcp/8443 tls\n"},
        {"zones", "zone internet { kind internet level open networks 0.0.0.0/0 }\n"
                  "zone dmz { kind dmz level open networks 10.99.1.0/24 }\n"
                  "zone app { kind internal level sensitive networks 10.99.2.0/24 }\n"
                  "zone core { kind datacenter level classified networks 10.99.3.0/24 }\n"
                  "zone admin { kind admin level sensitive networks 10.99.4.0/24 }\n"
                  "zone lab { kind rnd level open networks 10.99.5.0/24 }\n"},
        {"groups", "group scanners in app { 10.99.2.16/28 }\n"
                   "group dbs in core { 10.99.3.10 }\n"},
        {"saas", "saas ai { provider \"p\" fqdn api.ai.example networks 203.0.113.0/24 "
                 "screening \"FSI-1\" on 2026-10-01 }\n"},
        {"access", "access web { from internet to dmz service https log justification \"j\" "
                   "owner \"o\" }\n"
                   "access adm { from admin to core service ssh justification \"j\" owner \"o\" "
                   "}\n"},
        {"exception", "exception x { from scanners to ai service https, tls8443 "
                      "purpose vulnerability-assessment "
                      "basis no-action-letter \"NAL-1\" issued 2026-06-23 expires 2027-06-22 "
                      "approved-by \"ciso:kim\" kill-switch ks log }\n"},
    };
}

std::string join(const std::map<std::string, std::string>& parts) {
    std::string s;
    for (const auto& key : {"services", "zones", "groups", "saas", "access", "exception"})
        s += parts.at(key);
    return s;
}

std::vector<std::string> ids(const std::string& text, const char* asOf = "2026-11-22") {
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    auto r = audit::runAudit(c->policy, *model::Date::parse(asOf), nullptr);
    std::vector<std::string> out;
    for (const auto& f : r.findings)
        out.push_back(f.id);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

std::vector<std::string> with(const std::string& key, const std::string& text,
                              const char* asOf = "2026-11-22") {
    auto parts = baseParts();
    parts[key] = text;
    return ids(join(parts), asOf);
}

} // namespace

TEST_CASE("audit: the compliant base policy has no findings") {
    auto v = ids(join(baseParts()));
    CHECK_MESSAGE(v.empty(), (v.empty() ? "" : v.front()));
}

TEST_CASE("audit AIX-001 purpose") {
    CHECK(has(with("exception", "exception x { from scanners to ai service https purpose "
                                "marketing basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-001"));
}

TEST_CASE("audit AIX-002 basis") {
    CHECK(has(with("exception", "exception x { from scanners to ai service https purpose "
                                "port-scan expires 2027-06-22 approved-by \"ciso\" "
                                "kill-switch ks log }\n"),
              "AIX-002"));
}

TEST_CASE("audit AIX-003 validity") {
    std::string tooLong = "exception x { from scanners to ai service https purpose port-scan "
                          "basis no-action-letter \"N\" issued 2026-06-23 expires 2027-06-24 "
                          "approved-by \"ciso\" kill-switch ks log }\n";
    CHECK(has(with("exception", tooLong), "AIX-003"));
    // Expired on the as-of date: a warning (and never emitted).
    auto c = compileText(join(baseParts()));
    REQUIRE(c->ok);
    auto r = audit::runAudit(c->policy, *model::Date::parse("2027-06-23"), nullptr);
    REQUIRE(r.findings.size() >= 1);
    bool expiredWarning = false;
    for (const auto& f : r.findings)
        expiredWarning |= f.id == "AIX-003" && f.severity == Severity::Warning &&
                          f.message.find("expired") != std::string::npos;
    CHECK(expiredWarning);
    CHECK_FALSE(r.exceptions.at(0).inForce);
    // 30 days or less left: a warning.
    CHECK(has(ids(join(baseParts()), "2027-06-01"), "AIX-003"));
    CHECK_FALSE(has(ids(join(baseParts()), "2027-05-01"), "AIX-003"));
}

TEST_CASE("audit AIX-004 destination") {
    CHECK(has(with("exception", "exception x { from scanners to internet service https purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-004"));
    CHECK(has(with("saas", "saas ai { provider \"p\" fqdn *.ai.example networks 203.0.113.0/24 "
                           "screening \"FSI-1\" on 2026-10-01 }\n"),
              "AIX-004"));
}

TEST_CASE("audit AIX-005 services") {
    CHECK(has(with("exception", "exception x { from scanners to ai service dns purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-005"));
    CHECK(has(with("exception", "exception x { from scanners to ai service tcp/8080 purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-005"));
    CHECK(has(with("exception", "exception x { from scanners to ai service any purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-005"));
}

TEST_CASE("audit AIX-006 source in a datacenter zone") {
    CHECK(has(with("exception", "exception x { from dbs to ai service https purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-006"));
}

TEST_CASE("audit AIX-007 whole zone as source") {
    CHECK(has(with("exception", "exception x { from app to ai service https purpose "
                                "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                                "expires 2027-06-22 approved-by \"ciso\" kill-switch ks log }\n"),
              "AIX-007"));
}

TEST_CASE("audit AIX-008 and AIX-013 screening") {
    CHECK(has(with("saas", "saas ai { provider \"p\" networks 203.0.113.0/24 }\n"), "AIX-008"));
    CHECK(has(ids(join(baseParts()), "2027-04-05"), "AIX-013"));
    CHECK_FALSE(has(ids(join(baseParts()), "2027-04-03"), "AIX-013"));
}

TEST_CASE("audit AIX-009/010/011 kill switch, log, approval") {
    auto v = with("exception", "exception x { from scanners to ai service https purpose "
                               "port-scan basis no-action-letter \"N\" issued 2026-06-23 "
                               "expires 2027-06-22 approved-by \"head of IT\" }\n");
    CHECK(has(v, "AIX-009"));
    CHECK(has(v, "AIX-010"));
    CHECK(has(v, "AIX-011"));
}

TEST_CASE("audit AIX-012 saas opening inward") {
    CHECK(has(with("access", "access inbound { from ai to dmz service https justification \"j\" "
                             "owner \"o\" }\n"),
              "AIX-012"));
}

TEST_CASE("audit ZSG-001 any to any") {
    CHECK(has(with("access", "access all { from any to any service https justification \"j\" "
                             "owner \"o\" }\n"),
              "ZSG-001"));
}

TEST_CASE("audit ZSG-002 zone without kind or level") {
    auto parts = baseParts();
    parts["zones"] += "zone bare { networks 10.99.9.0/24 }\n";
    CHECK(has(ids(join(parts)), "ZSG-002"));
}

TEST_CASE("audit ZSG-004 internal to internet without exception") {
    CHECK(has(with("access", "access out { from app to internet service https justification "
                             "\"j\" owner \"o\" }\n"),
              "ZSG-004"));
}

TEST_CASE("audit ZSG-005 internet straight to internal") {
    CHECK(has(with("access", "access inbound { from internet to app service https justification "
                             "\"j\" owner \"o\" }\n"),
              "ZSG-005"));
}

TEST_CASE("audit ZSG-007 admin services from non-admin zones") {
    CHECK(has(with("access", "access s { from app to core service ssh justification \"j\" "
                             "owner \"o\" }\n"),
              "ZSG-007"));
}

TEST_CASE("audit ZSG-008 justification and owner") {
    CHECK(has(with("access", "access s { from dmz to app service https }\n"), "ZSG-008"));
}

TEST_CASE("audit: exception verdicts") {
    auto c = compileText(join(baseParts()));
    REQUIRE(c->ok);
    auto r = audit::runAudit(c->policy, *model::Date::parse("2026-11-22"), nullptr);
    REQUIRE(r.exceptions.size() == 1);
    CHECK(r.exceptions[0].verdict == audit::ExceptionStatus::Verdict::Valid);
    CHECK(r.exceptions[0].daysLeft == 212);
    CHECK(r.exceptions[0].inForce);
}
