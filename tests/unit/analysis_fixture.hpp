#pragma once
// Hand-built policies for the analysis unit tests: every statement gets its
// own line in a synthetic source file, so diagnostics have real locations.
#include "analysis/Analysis.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "diag/SourceManager.hpp"
#include "model/Policy.hpp"

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace netsep::testing {

inline model::Date day(const char* iso) {
    auto d = model::Date::parse(iso);
    if (!d)
        throw std::invalid_argument(iso);
    return *d;
}

class PolicyBuilder {
public:
    using Ep = model::Endpoint;
    using ZK = model::ZoneKind;
    using Lv = model::Level;

    PolicyBuilder() { p.name = "test"; }

    model::Policy p;

    SourceSpan span() { return SourceSpan{0, ++line_, 1, 4}; }

    Ep zone(const std::string& name, std::optional<ZK> kind, std::optional<Lv> level,
            bool crownJewel = false, bool isolated = false) {
        model::Zone z;
        z.name = name;
        z.kind = kind;
        z.level = level;
        z.crownJewel = crownJewel;
        z.isolated = isolated;
        z.span = span();
        p.zones.push_back(z);
        return {Ep::Kind::Zone, static_cast<uint32_t>(p.zones.size() - 1)};
    }
    Ep group(const std::string& name, Ep zoneEp) {
        model::Group g;
        g.name = name;
        g.zone = zoneEp.index;
        g.span = span();
        p.groups.push_back(g);
        return {Ep::Kind::Group, static_cast<uint32_t>(p.groups.size() - 1)};
    }
    Ep saas(const std::string& name) {
        model::Saas s;
        s.name = name;
        s.provider = "Provider";
        s.span = span();
        p.saas.push_back(s);
        return {Ep::Kind::Saas, static_cast<uint32_t>(p.saas.size() - 1)};
    }
    uint32_t service(const std::string& name, model::Proto proto, uint16_t lo, uint16_t hi,
                     bool noPivot = false) {
        model::Service s;
        s.name = name;
        model::ServiceEntry e;
        e.proto = proto;
        e.ports = {lo, hi};
        s.entries.push_back(e);
        s.noPivot = noPivot;
        s.span = span();
        p.services.push_back(s);
        return static_cast<uint32_t>(p.services.size() - 1);
    }
    uint32_t tcp(const std::string& name, uint16_t port, bool noPivot = false) {
        return service(name, model::Proto::Tcp, port, port, noPivot);
    }
    uint32_t udp(const std::string& name, uint16_t port, bool noPivot = false) {
        return service(name, model::Proto::Udp, port, port, noPivot);
    }

    // services empty = `service any`
    uint32_t rule(model::RuleKind kind, const std::string& name, std::vector<Ep> from,
                  std::vector<Ep> to, std::vector<uint32_t> services,
                  std::optional<uint32_t> identity = std::nullopt) {
        model::Rule r;
        r.kind = kind;
        r.name = name;
        r.from = std::move(from);
        r.to = std::move(to);
        r.services = std::move(services);
        r.serviceAny = r.services.empty();
        r.identity = identity;
        r.log = true;
        r.span = span();
        p.rules.push_back(r);
        return static_cast<uint32_t>(p.rules.size() - 1);
    }
    uint32_t access(const std::string& name, std::vector<Ep> from, std::vector<Ep> to,
                    std::vector<uint32_t> services, std::optional<uint32_t> identity = {}) {
        return rule(model::RuleKind::Access, name, std::move(from), std::move(to),
                    std::move(services), identity);
    }
    uint32_t deny(const std::string& name, std::vector<Ep> from, std::vector<Ep> to,
                  std::vector<uint32_t> services) {
        return rule(model::RuleKind::Deny, name, std::move(from), std::move(to),
                    std::move(services));
    }
    uint32_t exception(const std::string& name, std::vector<Ep> from, std::vector<Ep> to,
                       std::vector<uint32_t> services, const char* issued, const char* expires) {
        uint32_t r = rule(model::RuleKind::Exception, name, std::move(from), std::move(to),
                          std::move(services));
        model::ExceptionInfo x;
        x.purpose = "vulnerability-assessment";
        model::LegalBasis b;
        b.id = "FSC-NAL-1";
        b.issued = day(issued);
        x.basis = b;
        x.expires = day(expires);
        // What sema resolves: the basis's period covers the exception's.
        x.validFrom = b.issued;
        x.validUntil = x.expires;
        x.approvedBy = "ciso:kim";
        x.killSwitch = "ai-egress";
        p.rules[r].exception = x;
        return r;
    }
    // Every zone and saas endpoint, like sema's expansion of `any`.
    std::vector<Ep> any() const {
        std::vector<Ep> out;
        for (uint32_t i = 0; i < p.zones.size(); ++i)
            out.push_back({Ep::Kind::Zone, i});
        for (uint32_t i = 0; i < p.saas.size(); ++i)
            out.push_back({Ep::Kind::Saas, i});
        return out;
    }
    uint32_t identity(const std::string& name) {
        model::Identity id;
        id.name = name;
        id.span = span();
        p.identities.push_back(id);
        return static_cast<uint32_t>(p.identities.size() - 1);
    }
    void expect(model::Expectation::Kind kind, std::vector<Ep> from, std::vector<Ep> to,
                std::vector<uint32_t> services = {}) {
        model::Expectation x;
        x.kind = kind;
        x.from = std::move(from);
        x.to = std::move(to);
        x.services = std::move(services);
        x.serviceAny = x.services.empty();
        x.span = span();
        p.expectations.push_back(x);
    }
    void waive(std::vector<Ep> from, std::vector<Ep> to, std::vector<uint32_t> services,
               const char* until) {
        model::Waiver w;
        w.from = std::move(from);
        w.to = std::move(to);
        w.services = std::move(services);
        w.serviceAny = w.services.empty();
        w.until = day(until);
        w.because = "reviewed";
        w.ticket = "RISK-1";
        w.span = span();
        p.waivers.push_back(w);
    }

    // A source file with one line per statement, for rendering diagnostics.
    void registerSource(SourceManager& sm) const {
        std::string text;
        for (uint32_t i = 1; i <= line_; ++i)
            text += "stmt" + std::to_string(i) + " ...\n";
        sm.add("test.nsp", "test.nsp", text);
    }

private:
    uint32_t line_ = 0;
};

inline analysis::Options opts(const char* asOf = "2026-11-22", unsigned k = 3) {
    analysis::Options o;
    o.asOf = day(asOf);
    o.k = k;
    return o;
}

// Names along a path: "a b c".
inline std::string names(const analysis::Result& r, const model::Policy& p,
                         const analysis::Path& path) {
    std::string out;
    for (uint32_t v : path.vertices())
        out += (out.empty() ? "" : " ") + r.graph->name(v, p);
    return out;
}

// The teaching example (docs/reference.md), built by hand.
struct Bank {
    PolicyBuilder b;
    uint32_t https, ssh, postgres, syslog, telnet;
    model::Endpoint internet, dmz, app, core, secops, admin, web, scanners, claude;
    uint32_t webIn, webApp, appDb, socTriage, adminSsh, noTelnet, aiScan;

    explicit Bank(bool isolateSecops = false, bool scannersOwnZone = false) {
        https = b.tcp("https", 443);
        ssh = b.tcp("ssh", 22);
        postgres = b.tcp("postgres", 5432);
        syslog = b.udp("syslog", 514, true);
        telnet = b.tcp("tcp/23", 23);
        internet = b.zone("internet", model::ZoneKind::Internet, std::nullopt);
        dmz = b.zone("dmz", model::ZoneKind::Dmz, model::Level::Open);
        app = b.zone("app", model::ZoneKind::Internal, model::Level::Sensitive);
        core = b.zone("core", model::ZoneKind::Datacenter, model::Level::Classified, true);
        secops = b.zone("secops", model::ZoneKind::Internal, model::Level::Sensitive, false,
                        isolateSecops);
        admin = b.zone("admin", model::ZoneKind::Admin, model::Level::Sensitive);
        auto scanZone = scannersOwnZone
                            ? b.zone("scanzone", model::ZoneKind::Internal, model::Level::Sensitive)
                            : secops;
        web = b.group("web", dmz);
        scanners = b.group("scanners", scanZone);
        claude = b.saas("claude-api");
        uint32_t analyst = b.identity("soc-analyst");
        webIn = b.access("web-in", {internet}, {web}, {https});
        webApp = b.access("web-app", {web}, {app}, {https});
        appDb = b.access("app-db", {app}, {core}, {postgres});
        socTriage = b.access("soc-triage", {secops}, {core}, {https}, analyst);
        adminSsh = b.access("admin-ssh", {admin}, {app, core}, {ssh});
        noTelnet = b.deny("no-telnet", b.any(), b.any(), {telnet});
        aiScan =
            b.exception("ai-vuln-scan", {scanners}, {claude}, {https}, "2026-06-23", "2027-06-22");
        b.expect(model::Expectation::Kind::Deny, {internet}, {core});
        b.expect(model::Expectation::Kind::Allow, {admin}, {core}, {ssh});
        b.expect(model::Expectation::Kind::NoPath, {internet}, {core});
        b.waive({app}, {core}, {postgres}, "2027-01-01");
    }
};

} // namespace netsep::testing
