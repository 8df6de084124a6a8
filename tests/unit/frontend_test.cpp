#include "TestPolicy.hpp"

#include <doctest/doctest.h>

using netsep::test::compileText;
using namespace netsep::model;

namespace {
const char* kBase = R"(
service https tcp/443
zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }
zone dmz { kind dmz level open networks 10.99.1.0/24 }
zone app { kind internal level sensitive networks 10.99.0.0/16 }
group web in dmz { 10.99.1.10, 10.99.1.11 }
saas ai { provider "p" fqdn api.example.com networks 203.0.113.0/24 screening "r" on 2026-05-30 }
)";
}

TEST_CASE("parse: syntax errors are located and in plain words") {
    auto c = compileText("zone dmz { kind dmz level open networks 10.0.0.0/8\nzone x { }\n");
    CHECK_FALSE(c->ok);
    std::string d = c->diagnostics();
    // A missing '}' is reported at the '{' it leaves open, naming the statement.
    CHECK(d.find("test.nsp:1:10: error[E101]: '{' of zone 'dmz' is never closed") !=
          std::string::npos);
    CHECK(d.find("test.nsp:2:1: note: the next statement starts here\n  zone x { }\n  ^~~~\n") !=
          std::string::npos);
}

TEST_CASE("parse: a keyword used as a name says so") {
    auto c = compileText("zone log { kind dmz networks 10.0.0.0/8 }\n");
    CHECK(c->diagnostics().find("a keyword cannot be used as a name") != std::string::npos);
}

TEST_CASE("sema: longest prefix gives each address to one zone") {
    auto c = compileText(kBase);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    const auto& z = c->policy.zones;
    std::string err;
    CHECK(z[0].addresses.contains(*parsePrefix("8.8.8.8", err)));
    CHECK_FALSE(z[0].addresses.contains(*parsePrefix("10.99.1.5", err)));
    CHECK_FALSE(z[0].addresses.contains(*parsePrefix("203.0.113.9", err))); // saas owns it
    CHECK(z[1].addresses.contains(*parsePrefix("10.99.1.5", err)));
    CHECK_FALSE(z[2].addresses.contains(*parsePrefix("10.99.1.5", err)));
    CHECK(z[2].addresses.contains(*parsePrefix("10.99.2.5", err)));
    CHECK(c->policy.groups[0].zone == 1);
}

TEST_CASE("sema: undefined names suggest the closest one") {
    std::string text =
        std::string(kBase) +
        "access a { from dmx to app service htps justification \"j\" owner \"o\" }\n";
    auto c = compileText(text);
    CHECK_FALSE(c->ok);
    std::string d = c->diagnostics();
    CHECK(
        d.find("error[E202]: undefined zone, group or saas endpoint 'dmx'; did you mean 'dmz'?") !=
        std::string::npos);
    CHECK(d.find("undefined service 'htps'; did you mean 'https'?") != std::string::npos);
}

TEST_CASE("sema: a group address outside its zone is an error") {
    std::string text = std::string(kBase) + "group bad in dmz { 10.99.2.7 }\n";
    auto c = compileText(text);
    CHECK_FALSE(c->ok);
    CHECK(c->diagnostics().find("10.99.2.7/32 is not inside zone 'dmz' (by longest prefix it "
                                "belongs to zone 'app')") != std::string::npos);
}

TEST_CASE("sema: any expands to every zone and saas endpoint; inline services") {
    std::string text = std::string(kBase) + "deny t { from any to any service tcp/23, https }\n";
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    const Rule& r = c->policy.rules[0];
    CHECK(r.fromAny);
    CHECK(r.from.size() == 4); // 3 zones + 1 saas
    REQUIRE(r.services.size() == 2);
    CHECK(c->policy.services[r.services[1]].name == "https");
    CHECK(c->policy.services[r.services[0]].isInline);
}

TEST_CASE("sema: exceptions keep their dates; inForce honours issue and expiry") {
    std::string text = std::string(kBase) + R"(
exception x { from web to ai service https purpose port-scan
  basis no-action-letter "N" issued 2026-06-23 expires 2027-06-22
  approved-by "ciso:kim" kill-switch ks log }
)";
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    const Rule& r = c->policy.rules[0];
    REQUIRE(r.exception);
    CHECK(inForce(r, *Date::parse("2026-06-23")));
    CHECK(inForce(r, *Date::parse("2027-06-22")));
    CHECK_FALSE(inForce(r, *Date::parse("2027-06-23")));
    CHECK_FALSE(inForce(r, *Date::parse("2026-06-22")));
}

TEST_CASE("sema: an exception is in force only inside its letter's period") {
    std::string text = std::string(kBase) + R"(
exception x { from web to ai service https purpose port-scan basis "NAL-1"
  expires 2027-09-30 approved-by "ciso:kim" kill-switch ks log }
letter "NAL-1" { kind no-action-letter issued 2026-07-01 expires 2027-06-30
  scope { purpose port-scan from web to ai } }
)";
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    CHECK(c->diagnostics().find("W401") == std::string::npos);
    const Rule& r = c->policy.rules[0];
    REQUIRE(r.exception->letter);
    CHECK(*r.exception->letter == 0);
    CHECK_FALSE(inForce(r, *Date::parse("2026-06-30"))); // before the letter
    CHECK(inForce(r, *Date::parse("2026-07-01")));
    CHECK(inForce(r, *Date::parse("2027-06-30")));
    CHECK_FALSE(inForce(r, *Date::parse("2027-07-01"))); // the letter lapsed; expires is later
}

TEST_CASE("sema: inline bases are deprecated but dated from what grants them") {
    std::string text = std::string(kBase) + R"(
exception s { from web to ai service https purpose port-scan basis sandbox "SBX"
  expires 2031-12-31 approved-by "ciso:kim" kill-switch ks log }
exception g { from web to ai service https purpose security-saas basis saas-general
  expires 2032-06-30 approved-by "ciso:kim" kill-switch ks log }
)";
    auto c = compileText(text);
    REQUIRE_MESSAGE(c->ok, c->diagnostics());
    CHECK(c->diagnostics().find("warning[W401]: an inline basis is deprecated") !=
          std::string::npos);
    // A sandbox designation without an issue date has no start: never in force.
    const Rule& s = c->policy.rules[0];
    CHECK_FALSE(s.exception->validFrom);
    CHECK_FALSE(inForce(s, *Date::parse("2027-01-01")));
    // The general SaaS exception runs from the FSI screening (2026-05-30)
    // for 184 days, whatever its expiry says.
    const Rule& g = c->policy.rules[1];
    REQUIRE(g.exception->validFrom);
    CHECK(g.exception->validFrom->str() == "2026-05-30");
    CHECK_FALSE(inForce(g, *Date::parse("2026-05-29")));
    CHECK(inForce(g, *Date::parse("2026-11-30")));
    CHECK_FALSE(inForce(g, *Date::parse("2026-12-01")));
}

TEST_CASE("sema: letters resolve their scope; references must name a letter") {
    std::string text = std::string(kBase) + R"(
exception x { from web to ai service https purpose port-scan basis "NAL-2"
  expires 2027-06-22 approved-by "ciso:kim" kill-switch ks log }
letter "NAL-1" { kind sandbox firm "Bank" issued 2026-06-23 expires 2027-06-22
  scope { purpose port-scan, patch-analysis from dmz provider "p" service https }
  document sha256 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08 }
)";
    auto c = compileText(text);
    CHECK_FALSE(c->ok);
    CHECK(c->diagnostics().find("error[E202]: undefined letter 'NAL-2'; did you mean 'NAL-1'?") !=
          std::string::npos);
    REQUIRE(c->policy.letters.size() == 1);
    const Letter& l = c->policy.letters[0];
    CHECK(l.kind == LetterKind::Sandbox);
    CHECK(l.firm == "Bank");
    CHECK(l.documentSha256 == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    REQUIRE(l.scope);
    CHECK(l.scope->purposes == std::vector<std::string>{"port-scan", "patch-analysis"});
    REQUIRE(l.scope->from.size() == 1);
    CHECK(l.scope->from[0].kind == Endpoint::Kind::Zone);
    CHECK(l.scope->providers == std::vector<std::string>{"p"});
    CHECK(l.scope->services.size() == 1);
}
