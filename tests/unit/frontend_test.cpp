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
