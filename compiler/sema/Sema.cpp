#include "sema/Sema.hpp"

#include "sema/AddressOwnership.hpp"
#include "sema/IsolationNote.hpp"
#include "sema/PrivateSpace.hpp"
#include "sema/PublicExposure.hpp"
#include "sema/ServiceSpec.hpp"
#include "sema/Suggest.hpp"
#include "sema/ZoneNesting.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

namespace netsep::sema {

namespace {

using model::Endpoint;

// The backend names (docs/reference.md); whether one is built in is decided at compile time.
const std::vector<std::string> kBackendNames = {"iptables",    "nftables", "cisco-asa",
                                                "juniper-srx", "paloalto", "fortios"};
const std::vector<std::string> kZoneKinds = {"internet", "dmz",     "internal", "datacenter",
                                             "rnd",      "devtest", "admin",    "saas"};
const std::vector<std::string> kLevels = {"open", "sensitive", "classified"};

std::string joinList(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + v[i];
    return out;
}

// A name that only a resolver would take for an address: every label of
// the top level is a number (RFC 3696 §2: a top-level domain is never all
// digits), as in 10.1.2.3.
bool numericTopLevel(const std::string& s) {
    size_t dot = s.rfind('.');
    std::string_view top = std::string_view(s).substr(dot == std::string::npos ? 0 : dot + 1);
    return !top.empty() && std::all_of(top.begin(), top.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool validFqdn(const std::string& s) {
    std::string_view v = s;
    if (v.size() > 253 || v.empty())
        return false;
    if (v.substr(0, 2) == "*.")
        v.remove_prefix(2); // syntactically fine; AIX-004 rejects wildcards
    size_t start = 0;
    while (start <= v.size()) {
        size_t dot = v.find('.', start);
        std::string_view label = v.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
                return false;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return v.find('.') != std::string_view::npos;
}

class Sema {
public:
    Sema(const ast::Program& p, DiagnosticEngine& d, model::Policy& out)
        : prog_(p), diags_(d), out_(out) {}

    bool run() {
        size_t before = diags_.errorCount();
        policy();
        declareEndpoints();
        services();
        zones();
        saas();
        if (diags_.errorCount() == before) {
            assignAddressOwnership(out_, diags_, zoneNetSpans_, saasNetSpans_);
            warnPublicAddresses(out_, zoneNetSpans_, diags_);
            owned_ = true;
            if (diags_.errorCount() == before) {
                checkZoneNesting(out_, diags_, zoneNetSpans_, saasNetSpans_);
                checkPrivateSpace(out_, diags_, zoneNetSpans_, saasNetSpans_);
            }
        }
        groups();
        noteIsolatedZones(out_, diags_);
        identities();
        letters();
        out_.rules.reserve(prog_.rules.size());
        ruleIndex_.reserve(prog_.rules.size());
        for (const auto& r : prog_.rules)
            rule(r);
        for (auto& r : out_.rules)
            if (r.exception)
                basisPeriod(r);
        firewalls();
        expectations();
        waivers();
        killSwitches();
        return diags_.errorCount() == before;
    }

private:
    // ---- helpers ---------------------------------------------------------
    void duplicate(const char* what, const ast::Word& name, SourceSpan first) {
        Diagnostic d{Severity::Error,
                     "E201",
                     std::string(what) + " '" + name.text + "' is defined more than once",
                     name.span,
                     {{first, "first defined here"}}};
        diags_.report(std::move(d));
    }

    void undefined(const char* what, const ast::Word& w, const std::vector<std::string>& names) {
        std::string msg = std::string("undefined ") + what + " '" + w.text + "'";
        // Each suggestion scans every name: only the first ones get one, so
        // many undefined names against many definitions stay linear.
        std::string near =
            suggestions_ < kMaxSuggestions ? closestName(w.text, names) : std::string();
        ++suggestions_;
        if (!near.empty())
            msg += "; did you mean '" + near + "'?";
        diags_.error("E202", w.span, msg);
    }

    void missing(const char* field, const char* stmt, const ast::Word& name) {
        diags_.error("E203", name.span,
                     std::string(stmt) + " '" + name.text + "' has no '" + field + "'");
    }

    std::optional<model::Date> date(const ast::Word& w) {
        auto d = model::Date::parse(w.text);
        if (!d)
            diags_.error("E308", w.span,
                         "'" + w.text +
                             "' is not a valid date; write YYYY-MM-DD (e.g. 2027-06-22)");
        return d;
    }

    std::vector<model::IpPrefix> prefixes(const ast::WordList& words,
                                          std::vector<SourceSpan>* spans) {
        std::vector<model::IpPrefix> out;
        for (const auto& w : words) {
            std::string err;
            auto p = model::parsePrefix(w.text, err);
            if (!p) {
                diags_.error("E303", w.span, "'" + w.text + "' is not a valid network: " + err);
                continue;
            }
            out.push_back(*p);
            if (spans)
                spans->push_back(w.span);
        }
        return out;
    }

    // ---- declarations ----------------------------------------------------
    void policy() {
        out_.name = "policy";
        if (prog_.policies.empty())
            return;
        const auto& p = prog_.policies.front();
        out_.name = p.name.text;
        out_.owner = p.owner ? p.owner->text : "";
        out_.span = p.span;
        for (size_t i = 1; i < prog_.policies.size(); ++i)
            duplicate("policy", prog_.policies[i].name, p.name.span);
    }

    // Zones, groups and saas endpoints share one namespace: `from`/`to` name them.
    void declareEndpoints() {
        auto declare = [&](const char* what, const ast::Word& name, Endpoint e) {
            auto [it, fresh] = endpoints_.emplace(name.text, std::make_pair(e, name.span));
            if (!fresh) {
                duplicate(what, name, it->second.second);
                return false;
            }
            endpointNames_.push_back(name.text);
            return true;
        };
        for (const auto& z : prog_.zones)
            if (declare("zone", z.name, {Endpoint::Kind::Zone, uint32_t(out_.zones.size())})) {
                out_.zones.emplace_back();
                out_.zones.back().name = z.name.text;
                out_.zones.back().span = z.name.span;
                zoneDecls_.push_back(&z);
            }
        for (const auto& s : prog_.saas)
            if (declare("saas endpoint", s.name,
                        {Endpoint::Kind::Saas, uint32_t(out_.saas.size())})) {
                out_.saas.emplace_back();
                out_.saas.back().name = s.name.text;
                out_.saas.back().span = s.name.span;
                saasDecls_.push_back(&s);
            }
        for (const auto& g : prog_.groups)
            if (declare("group", g.name, {Endpoint::Kind::Group, uint32_t(out_.groups.size())})) {
                out_.groups.emplace_back();
                out_.groups.back().name = g.name.text;
                out_.groups.back().span = g.name.span;
                groupDecls_.push_back(&g);
            }
    }

    void services() {
        for (const auto& s : prog_.services) {
            auto [it, fresh] = serviceIndex_.emplace(s.name.text, uint32_t(out_.services.size()));
            if (!fresh) {
                duplicate("service", s.name, out_.services[it->second].span);
                continue;
            }
            if (looksLikeServiceSpec(s.name.text) || s.name.text == "any")
                diags_.error("E204", s.name.span,
                             "'" + s.name.text +
                                 "' cannot name a service: it reads as a protocol clause");
            model::Service svc;
            svc.name = s.name.text;
            svc.span = s.name.span;
            svc.noPivot = s.noPivot;
            svc.tls = s.tls;
            for (const auto& w : s.ports) {
                std::string err;
                auto e = parseServiceEntry(w.text, err);
                if (!e)
                    diags_.error("E301", w.span, "'" + w.text + "': " + err);
                else
                    svc.entries.push_back(*e);
            }
            out_.services.push_back(std::move(svc));
            serviceNames_.push_back(s.name.text);
        }
    }

    void zones() {
        zoneNetSpans_.resize(out_.zones.size());
        for (size_t i = 0; i < out_.zones.size(); ++i) {
            const ast::ZoneDecl& d = *zoneDecls_[i];
            model::Zone& z = out_.zones[i];
            if (d.kind) {
                auto it = std::find(kZoneKinds.begin(), kZoneKinds.end(), d.kind->text);
                if (it == kZoneKinds.end())
                    diags_.error("E302", d.kind->span,
                                 "unknown zone kind '" + d.kind->text + "'; expected one of " +
                                     joinList(kZoneKinds));
                else
                    z.kind = model::ZoneKind(it - kZoneKinds.begin());
            }
            if (d.level) {
                auto it = std::find(kLevels.begin(), kLevels.end(), d.level->text);
                if (it == kLevels.end())
                    diags_.error("E302", d.level->span,
                                 "unknown level '" + d.level->text + "'; expected one of " +
                                     joinList(kLevels));
                else
                    z.level = model::Level(it - kLevels.begin());
            }
            z.networks = prefixes(d.networks, &zoneNetSpans_[i]);
            if (d.networks.empty())
                diags_.error("E304", d.name.span,
                             "zone '" + d.name.text +
                                 "' has no networks; add 'networks CIDR, ...'");
            z.crownJewel = d.crownJewel;
            z.isolated = d.isolated;
            z.quarantineAccess = d.quarantineAccess;
            if (d.parent) {
                auto e = resolveEndpoint(*d.parent, "zone");
                if (e && e->kind == Endpoint::Kind::Zone && e->index == i)
                    diags_.error("E309", d.parent->span,
                                 "zone '" + z.name + "' cannot be declared in itself");
                else if (e && e->kind == Endpoint::Kind::Zone)
                    z.parent = e->index;
                else if (e)
                    diags_.error("E206", d.parent->span,
                                 "'" + d.parent->text +
                                     "' is not a zone; a zone is nested in a zone");
            }
        }
    }

    void saas() {
        saasNetSpans_.resize(out_.saas.size());
        for (size_t i = 0; i < out_.saas.size(); ++i) {
            const ast::SaasDecl& d = *saasDecls_[i];
            model::Saas& s = out_.saas[i];
            s.provider = d.provider ? d.provider->text : "";
            for (const auto& f : d.fqdns) {
                if (numericTopLevel(f.text))
                    diags_.error("E305", f.span,
                                 "'" + f.text +
                                     "' is not a domain name (its last label is a number); an "
                                     "address belongs under networks");
                else if (!validFqdn(f.text))
                    diags_.error("E305", f.span, "'" + f.text + "' is not a valid domain name");
                s.fqdns.push_back(f.text);
            }
            s.networks = prefixes(d.networks, &saasNetSpans_[i]);
            if (d.networks.empty() && d.fqdns.empty())
                diags_.error("E304", d.name.span,
                             "saas endpoint '" + d.name.text + "' has neither networks nor fqdn");
            if (d.screeningRef)
                s.screeningRef = d.screeningRef->text;
            if (d.screeningDate)
                s.screeningDate = date(*d.screeningDate);
            if (d.behind) {
                auto e = resolveEndpoint(*d.behind, "zone");
                if (e && e->kind == Endpoint::Kind::Zone)
                    s.behindZone = e->index;
                else if (e)
                    diags_.error("E206", d.behind->span,
                                 "'" + d.behind->text + "' is not a zone; 'behind' names a zone");
            }
        }
    }

    void groups() {
        for (size_t i = 0; i < out_.groups.size(); ++i) {
            const ast::GroupDecl& d = *groupDecls_[i];
            model::Group& g = out_.groups[i];
            auto e = resolveEndpoint(d.zone, "zone");
            if (!e)
                continue;
            if (e->kind != Endpoint::Kind::Zone) {
                diags_.error("E206", d.zone.span,
                             "'" + d.zone.text + "' is not a zone; a group lives in a zone");
                continue;
            }
            g.zone = e->index;
            if (d.addresses.empty())
                diags_.error("E304", d.name.span, "group '" + d.name.text + "' has no addresses");
            const model::Zone& zone = out_.zones[g.zone];
            for (size_t k = 0; k < d.addresses.size(); ++k) {
                std::string err;
                auto p = model::parsePrefix(d.addresses[k].text, err);
                if (!p) {
                    diags_.error("E303", d.addresses[k].span,
                                 "'" + d.addresses[k].text + "' is not a valid address: " + err);
                    continue;
                }
                if (owned_ && !zone.addresses.contains(*p)) {
                    std::string where;
                    for (const auto& other : out_.zones)
                        if (&other != &zone && other.addresses.contains(*p))
                            where = " (by longest prefix it belongs to zone '" + other.name + "')";
                    diags_.error("E307", d.addresses[k].span,
                                 p->str() + " is not inside zone '" + zone.name + "'" + where);
                    continue;
                }
                g.members.push_back(*p);
            }
            g.addresses = model::AddressSet::of(g.members);
        }
    }

    void identities() {
        for (const auto& d : prog_.identities) {
            auto [it, fresh] =
                identityIndex_.emplace(d.name.text, uint32_t(out_.identities.size()));
            if (!fresh) {
                duplicate("identity", d.name, out_.identities[it->second].span);
                continue;
            }
            model::Identity id;
            id.name = d.name.text;
            id.span = d.name.span;
            if (!d.idp)
                missing("idp", "identity", d.name);
            if (!d.group)
                missing("group", "identity", d.name);
            id.idp = d.idp ? d.idp->text : "";
            id.group = d.group ? d.group->text : "";
            if (d.device && d.device->text != "managed" && d.device->text != "any")
                diags_.error("E302", d.device->span,
                             "unknown device posture '" + d.device->text +
                                 "'; expected managed or any");
            if (d.mfa && d.mfa->text != "required" && d.mfa->text != "optional")
                diags_.error("E302", d.mfa->span,
                             "unknown mfa setting '" + d.mfa->text +
                                 "'; expected required or optional");
            id.device = d.device ? d.device->text : "any";
            id.mfa = d.mfa ? d.mfa->text : "optional";
            out_.identities.push_back(std::move(id));
            identityNames_.push_back(d.name.text);
        }
    }

    // ---- references ------------------------------------------------------
    std::optional<Endpoint> resolveEndpoint(const ast::Word& w, const char* what) {
        auto it = endpoints_.find(w.text);
        if (it == endpoints_.end()) {
            undefined(what, w, endpointNames_);
            return std::nullopt;
        }
        return it->second.first;
    }

    std::vector<Endpoint> allEndpoints() const {
        std::vector<Endpoint> v;
        for (uint32_t i = 0; i < out_.zones.size(); ++i)
            v.push_back({Endpoint::Kind::Zone, i});
        for (uint32_t i = 0; i < out_.saas.size(); ++i)
            v.push_back({Endpoint::Kind::Saas, i});
        return v;
    }

    // Returns true when the list was `any`.
    bool endpointList(const ast::WordList& words, std::vector<Endpoint>& out) {
        // A short list is scanned; a long one gets a set (no quadratic scan).
        const bool shortList = out.size() + words.size() <= 16;
        std::set<Endpoint> seen;
        if (!shortList)
            seen.insert(out.begin(), out.end());
        auto firstTime = [&](const Endpoint& e) {
            return shortList ? std::find(out.begin(), out.end(), e) == out.end()
                             : seen.insert(e).second;
        };
        for (const auto& w : words) {
            if (w.text == "any") {
                if (words.size() > 1)
                    diags_.error("E207", w.span, "'any' cannot be combined with other names");
                out = allEndpoints();
                return true;
            }
            if (auto e = resolveEndpoint(w, "zone, group or saas endpoint")) {
                if (!firstTime(*e))
                    diags_.warning("W302", w.span, "'" + w.text + "' is listed twice");
                else
                    out.push_back(*e);
            }
        }
        return false;
    }

    // Returns true when the list was `any`.
    bool serviceList(const ast::WordList& words, std::vector<uint32_t>& out) {
        const bool shortList = out.size() + words.size() <= 16;
        std::set<uint32_t> seen;
        if (!shortList)
            seen.insert(out.begin(), out.end());
        auto firstTime = [&](uint32_t i) {
            return shortList ? std::find(out.begin(), out.end(), i) == out.end()
                             : seen.insert(i).second;
        };
        for (const auto& w : words) {
            if (w.text == "any")
                return true;
            uint32_t idx;
            if (auto it = serviceIndex_.find(w.text); it != serviceIndex_.end()) {
                idx = it->second;
            } else if (looksLikeServiceSpec(w.text)) {
                std::string err;
                auto e = parseServiceEntry(w.text, err);
                if (!e) {
                    diags_.error("E301", w.span, "'" + w.text + "': " + err);
                    continue;
                }
                auto [iit, fresh] = inlineIndex_.emplace(w.text, uint32_t(out_.services.size()));
                if (fresh) {
                    model::Service svc;
                    svc.name = w.text;
                    svc.isInline = true;
                    svc.span = w.span;
                    svc.entries.push_back(*e);
                    out_.services.push_back(std::move(svc));
                }
                idx = iit->second;
            } else {
                undefined("service", w, serviceNames_);
                continue;
            }
            if (firstTime(idx))
                out.push_back(idx);
        }
        return false;
    }

    void rule(const ast::RuleDecl& d) {
        static const char* kindNames[] = {"access", "deny", "exception"};
        const char* kind = kindNames[int(d.kind)];
        auto [it, fresh] = ruleIndex_.emplace(d.name.text, d.name.span);
        if (!fresh) {
            duplicate("rule", d.name, it->second);
            return;
        }
        model::Rule r;
        r.kind = model::RuleKind(int(d.kind));
        r.name = d.name.text;
        r.span = d.name.span;
        if (!d.from)
            missing("from", kind, d.name);
        else {
            r.fromAny = endpointList(*d.from, r.from);
            r.fromSpan = d.from->front().span;
        }
        if (!d.to)
            missing("to", kind, d.name);
        else {
            r.toAny = endpointList(*d.to, r.to);
            r.toSpan = d.to->front().span;
        }
        if (!d.services)
            missing("service", kind, d.name);
        else {
            r.serviceAny = serviceList(*d.services, r.services);
            r.serviceSpan = d.services->front().span;
        }
        if (d.as) {
            if (d.kind == ast::RuleKind::Deny)
                diags_.error("E208", d.as->span,
                             "a deny applies to everyone; it cannot be narrowed with 'as'");
            auto iit = identityIndex_.find(d.as->text);
            if (iit == identityIndex_.end())
                undefined("identity", *d.as, identityNames_);
            else
                r.identity = iit->second;
        }
        r.log = d.log;
        r.justification = d.justification ? d.justification->text : "";
        r.owner = d.owner ? d.owner->text : "";
        if (d.kind == ast::RuleKind::Exception) {
            model::ExceptionInfo x;
            if (d.purpose) {
                x.purpose = d.purpose->text;
                x.purposeSpan = d.purpose->span;
            }
            if (d.basis) {
                model::LegalBasis b;
                b.kind = model::LegalBasis::Kind(int(d.basis->kind));
                b.id = d.basis->id ? d.basis->id->text : "";
                b.span = d.basis->span;
                if (d.basis->issued)
                    b.issued = date(*d.basis->issued);
                x.letter = letterOf(b, d.basis->id);
                x.basis = b;
            }
            if (!d.expires) {
                missing("expires", kind, d.name);
            } else {
                x.expiresSpan = d.expires->span;
                if (auto e = date(*d.expires))
                    x.expires = *e;
            }
            x.approvedBy = d.approvedBy ? d.approvedBy->text : "";
            x.killSwitch = d.killSwitch ? d.killSwitch->text : "";
            r.exception = std::move(x);
        }
        if (!r.fromAny && !r.toAny && r.from.size() == 1 && r.to.size() == 1) {
            auto fz = out_.endpointZone(r.from[0]);
            auto tz = out_.endpointZone(r.to[0]);
            if (fz && tz && *fz == *tz && r.from[0] == r.to[0])
                diags_.warning("W303", d.name.span,
                               std::string(kind) + " '" + r.name +
                                   "' stays within one zone; no firewall sits between its hosts");
        }
        out_.rules.push_back(std::move(r));
    }

    // ---- letters -----------------------------------------------------------
    void letters() {
        for (const auto& d : prog_.letters) {
            auto [it, fresh] = letterIndex_.emplace(d.id.text, uint32_t(out_.letters.size()));
            if (!fresh) {
                duplicate("letter", d.id, out_.letters[it->second].span);
                continue;
            }
            model::Letter l;
            l.id = d.id.text;
            l.span = d.id.span;
            if (l.id.empty())
                diags_.error("E203", d.span, "a letter needs its reference as id: letter \"ID\"");
            if (d.kind)
                l.kind = model::LetterKind(int(*d.kind));
            else
                missing("kind", "letter", d.id);
            l.firm = d.firm ? d.firm->text : "";
            if (d.issued) {
                l.issued = date(*d.issued);
                l.issuedSpan = d.issued->span;
            } else {
                missing("issued", "letter", d.id);
            }
            if (d.expires) {
                l.expires = date(*d.expires);
                l.expiresSpan = d.expires->span;
            } else {
                missing("expires", "letter", d.id);
            }
            if (d.scope)
                l.scope = scope(*d.scope, d.id);
            else
                missing("scope", "letter", d.id);
            if (d.documentAlgorithm)
                l.documentSha256 = digest(*d.documentAlgorithm, *d.documentDigest);
            out_.letters.push_back(std::move(l));
            letterNames_.push_back(d.id.text);
        }
    }

    model::LetterScope scope(const ast::ScopeDecl& d, const ast::Word& letter) {
        model::LetterScope s;
        s.span = d.span;
        auto noAny = [&](const ast::WordList& words, const char* field) {
            for (const auto& w : words)
                if (w.text == "any") {
                    diags_.error("E402", w.span,
                                 std::string("a letter's scope names what it allows; '") + field +
                                     " any' is not a scope");
                    return false;
                }
            return true;
        };
        if (!d.purposes)
            diags_.error("E203", d.span,
                         "the scope of letter '" + letter.text + "' has no 'purpose'");
        else
            for (const auto& w : *d.purposes)
                s.purposes.push_back(w.text);
        if (!d.from)
            diags_.error("E203", d.span, "the scope of letter '" + letter.text + "' has no 'from'");
        else if (noAny(*d.from, "from"))
            endpointList(*d.from, s.from);
        if (!d.to && !d.providers)
            diags_.error("E203", d.span,
                         "the scope of letter '" + letter.text +
                             "' names no destination: add 'to SAAS, ...' or 'provider \"...\"'");
        if (d.to && noAny(*d.to, "to")) {
            std::vector<Endpoint> to;
            endpointList(*d.to, to);
            for (size_t i = 0; i < to.size(); ++i) {
                if (to[i].kind == Endpoint::Kind::Saas) {
                    s.to.push_back(to[i]);
                    continue;
                }
                const std::string& name = out_.endpointName(to[i]);
                SourceSpan at = d.to->front().span;
                for (const auto& w : *d.to)
                    if (w.text == name)
                        at = w.span;
                diags_.error("E206", at,
                             "'" + name +
                                 "' is not a saas endpoint; a letter's scope reaches saas "
                                 "endpoints only");
            }
        }
        if (d.providers)
            for (const auto& w : *d.providers)
                s.providers.push_back(w.text);
        if (d.services && noAny(*d.services, "service"))
            serviceList(*d.services, s.services);
        return s;
    }

    // `document sha256 HEX`: the digest of the letter's scanned copy.
    std::string digest(const ast::Word& algorithm, const ast::Word& hex) {
        if (algorithm.text != "sha256") {
            diags_.error("E401", algorithm.span,
                         "unknown digest '" + algorithm.text + "'; write 'document sha256 HEX'");
            return {};
        }
        std::string out;
        for (char c : hex.text) {
            if (!std::isxdigit(static_cast<unsigned char>(c)))
                break;
            out.push_back(char(std::tolower(static_cast<unsigned char>(c))));
        }
        if (out.size() != 64 || hex.text.size() != 64) {
            diags_.error("E401", hex.span,
                         "'" + hex.text + "' is not a SHA-256 digest (64 hexadecimal digits)");
            return {};
        }
        return out;
    }

    // The declared letter an exception's basis names, if any. `basis "ID"`
    // must name one (E202); an inline basis is deprecated (W401) but still
    // tied to a declared letter of the same id, so its scope applies.
    std::optional<uint32_t> letterOf(const model::LegalBasis& b,
                                     const std::optional<ast::Word>& id) {
        auto it = letterIndex_.find(b.id);
        if (b.kind == model::LegalBasis::Kind::Letter) {
            if (it == letterIndex_.end()) {
                undefined("letter", *id, letterNames_);
                return std::nullopt;
            }
            return it->second;
        }
        static const char* kinds[] = {"no-action-letter", "sandbox", "saas-general"};
        std::string example = b.id.empty() ? std::string("ID") : b.id;
        diags_.warning("W401", b.span,
                       std::string("an inline basis is deprecated: declare letter \"") + example +
                           "\" { kind " + kinds[int(b.kind)] +
                           " issued DATE expires DATE scope { ... } } and write basis \"" +
                           example + "\"");
        if (b.kind != model::LegalBasis::Kind::SaasGeneral && it != letterIndex_.end())
            return it->second;
        return std::nullopt;
    }

    // When the exception's basis starts and lapses (model::inForce).
    void basisPeriod(model::Rule& r) {
        model::ExceptionInfo& x = *r.exception;
        if (x.letter) {
            const model::Letter& l = out_.letters[*x.letter];
            x.validFrom = l.issued;
            x.validUntil = l.expires;
            return;
        }
        if (!x.basis)
            return;
        const model::LegalBasis& b = *x.basis;
        std::optional<model::Date> start;
        model::LetterKind kind = model::LetterKind::NoActionLetter;
        switch (b.kind) {
        case model::LegalBasis::Kind::NoActionLetter:
        case model::LegalBasis::Kind::Sandbox:
            kind = b.kind == model::LegalBasis::Kind::Sandbox ? model::LetterKind::Sandbox
                                                              : model::LetterKind::NoActionLetter;
            start = b.issued;
            break;
        case model::LegalBasis::Kind::SaasGeneral:
            // The general SaaS exception starts at the FSI screening of the
            // endpoints it reaches (the latest one), never before the regime.
            kind = model::LetterKind::SaasGeneral;
            for (const auto& to : r.to) {
                if (to.kind != Endpoint::Kind::Saas)
                    continue;
                const auto& screened = out_.saas[to.index].screeningDate;
                if (!screened) {
                    start.reset();
                    break;
                }
                if (!start || *start < *screened)
                    start = screened;
            }
            if (auto regime = model::regimeStart(kind); start && regime && *start < *regime)
                start = regime;
            break;
        case model::LegalBasis::Kind::Letter:
            return; // an undefined letter (E202)
        }
        if (!start)
            return;
        x.validFrom = start;
        x.validUntil = model::Date{start->days + model::maxBasisDays(kind)};
    }

    void firewalls() {
        std::map<std::string, SourceSpan> seen;
        for (const auto& d : prog_.firewalls) {
            auto [it, fresh] = seen.emplace(d.name.text, d.name.span);
            if (!fresh) {
                duplicate("firewall", d.name, it->second);
                continue;
            }
            // The name is the firewall's output directory: one path component
            // of portable characters ('/' would nest or escape it).
            if (d.name.text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789_.-") != std::string::npos)
                diags_.error("E211", d.name.span,
                             "firewall name '" + d.name.text +
                                 "' names its output directory: use only letters, digits, "
                                 "'_', '.' and '-'");
            model::Firewall fw;
            fw.name = d.name.text;
            fw.span = d.name.span;
            if (d.backends.empty())
                missing("backend", "firewall", d.name);
            for (const auto& b : d.backends) {
                if (std::find(kBackendNames.begin(), kBackendNames.end(), b.text) ==
                    kBackendNames.end()) {
                    undefined("backend", b, kBackendNames);
                    continue;
                }
                if (std::find(fw.backends.begin(), fw.backends.end(), b.text) != fw.backends.end())
                    diags_.warning("W302", b.span, "backend '" + b.text + "' is listed twice");
                else
                    fw.backends.push_back(b.text);
            }
            if (d.interfaces.empty())
                missing("interface", "firewall", d.name);
            std::map<std::string, SourceSpan> ifaces;
            for (const auto& i : d.interfaces) {
                auto [iit, ifresh] = ifaces.emplace(i.name.text, i.name.span);
                if (!ifresh) {
                    duplicate("interface", i.name, iit->second);
                    continue;
                }
                auto e = resolveEndpoint(i.zone, "zone");
                if (!e)
                    continue;
                if (e->kind != Endpoint::Kind::Zone) {
                    diags_.error("E206", i.zone.span,
                                 "'" + i.zone.text + "' is not a zone; interfaces attach to zones");
                    continue;
                }
                fw.interfaces.push_back({i.name.text, e->index, i.name.span, aliases(i, fw)});
            }
            uniquePrintedNames(fw);
            if (d.identityEnforcedBy)
                fw.identityEnforcedBy = d.identityEnforcedBy->text;
            if (d.forwardPolicy) {
                if (d.forwardPolicy->text == "drop")
                    fw.forwardPolicyDrop = true;
                else
                    diags_.error("E302", d.forwardPolicy->span,
                                 "unknown forward-policy '" + d.forwardPolicy->text +
                                     "' (expected drop)");
            }
            out_.firewalls.push_back(std::move(fw));
        }
    }

    // `on BACKEND NAME` of one interface: each backend once, and one the
    // firewall lists (an alias for another backend would never be printed,
    // so a misspelt backend would leave the policy's name in its output).
    std::vector<model::InterfaceAlias> aliases(const ast::InterfaceDecl& i,
                                               const model::Firewall& fw) {
        std::vector<model::InterfaceAlias> out;
        std::map<std::string, SourceSpan> seen;
        for (const auto& a : i.aliases) {
            if (std::find(kBackendNames.begin(), kBackendNames.end(), a.backend.text) ==
                kBackendNames.end()) {
                undefined("backend", a.backend, kBackendNames);
                continue;
            }
            if (std::find(fw.backends.begin(), fw.backends.end(), a.backend.text) ==
                fw.backends.end()) {
                diags_.error("E214", a.backend.span,
                             "interface '" + i.name.text + "' is named for backend '" +
                                 a.backend.text + "', which firewall '" + fw.name +
                                 "' does not list");
                continue;
            }
            auto [it, fresh] = seen.emplace(a.backend.text, a.backend.span);
            if (!fresh) {
                Diagnostic d{Severity::Error,
                             "E201",
                             "interface '" + i.name.text + "' is named twice for backend '" +
                                 a.backend.text + "'",
                             a.backend.span,
                             {{it->second, "first named here"}}};
                diags_.report(std::move(d));
                continue;
            }
            out.push_back({a.backend.text, a.name.text, a.name.span});
        }
        return out;
    }

    // Two interfaces that a backend would print under one name would merge
    // on the device.
    void uniquePrintedNames(const model::Firewall& fw) {
        for (const auto& b : fw.backends) {
            std::map<std::string, const model::Interface*> printed;
            for (const auto& i : fw.interfaces) {
                auto [it, fresh] = printed.emplace(i.nameOn(b), &i);
                if (fresh)
                    continue;
                Diagnostic d{Severity::Error,
                             "E215",
                             "interfaces '" + it->second->name + "' and '" + i.name +
                                 "' of firewall '" + fw.name + "' are both named '" + i.nameOn(b) +
                                 "' on backend '" + b + "'",
                             i.spanOn(b),
                             {{it->second->spanOn(b), "first named here"}}};
                diags_.report(std::move(d));
            }
        }
    }

    std::vector<Endpoint> flowEnd(const ast::Word& w) {
        std::vector<Endpoint> out;
        endpointList({w}, out);
        return out;
    }

    void expectations() {
        for (const auto& d : prog_.expects) {
            model::Expectation x;
            x.kind = model::Expectation::Kind(int(d.kind));
            x.from = flowEnd(d.from);
            x.to = flowEnd(d.to);
            if (d.services) {
                if (d.kind == ast::ExpectKind::NoPath)
                    diags_.error("E209", d.services->front().span,
                                 "'expect no-path' is about any path; it takes no service");
                x.serviceAny = serviceList(*d.services, x.services);
            }
            x.span = d.span;
            out_.expectations.push_back(std::move(x));
        }
    }

    void waivers() {
        for (const auto& d : prog_.waivers) {
            model::Waiver w;
            w.from = flowEnd(d.from);
            w.to = flowEnd(d.to);
            if (d.services)
                w.serviceAny = serviceList(*d.services, w.services);
            if (auto u = date(d.until))
                w.until = *u;
            w.because = d.because.text;
            w.ticket = d.ticket.text;
            w.owner = d.owner ? d.owner->text : "";
            if (w.because.empty())
                diags_.error("E210", d.because.span, "a waiver needs a reason");
            if (w.ticket.empty())
                diags_.error("E210", d.ticket.span, "a waiver needs a ticket");
            w.span = d.span;
            out_.waivers.push_back(std::move(w));
        }
    }

    // `kill-switch GROUP engaged ...`: the group must be one that exceptions
    // name; one statement per group.
    void killSwitches() {
        std::map<std::string, SourceSpan> seen;
        std::vector<std::string> groups;
        for (const auto& r : out_.rules)
            if (r.exception && !r.exception->killSwitch.empty())
                groups.push_back(r.exception->killSwitch);
        std::sort(groups.begin(), groups.end());
        groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
        for (const auto& d : prog_.killSwitches) {
            auto [it, fresh] = seen.emplace(d.group.text, d.group.span);
            if (!fresh) {
                duplicate("kill-switch state of group", d.group, it->second);
                continue;
            }
            if (!std::binary_search(groups.begin(), groups.end(), d.group.text)) {
                undefined("kill-switch group", d.group, groups);
                continue;
            }
            model::KillSwitchState k;
            k.group = d.group.text;
            k.groupSpan = d.group.span;
            k.span = d.span;
            if (auto s = date(d.since))
                k.since = *s;
            k.orderedBy = d.by.text;
            k.ticket = d.ticket.text;
            if (d.reason)
                k.reason = d.reason->text;
            if (k.orderedBy.empty())
                diags_.error("E212", d.by.span,
                             "an engaged kill switch needs who ordered it ('by')");
            if (k.ticket.empty())
                diags_.error("E212", d.ticket.span, "an engaged kill switch needs a ticket");
            out_.killSwitches.push_back(std::move(k));
        }
    }

    const ast::Program& prog_;
    DiagnosticEngine& diags_;
    model::Policy& out_;
    // Name lookups only (never iterated): hash maps.
    std::unordered_map<std::string, std::pair<Endpoint, SourceSpan>> endpoints_;
    std::unordered_map<std::string, uint32_t> serviceIndex_, inlineIndex_, identityIndex_;
    std::unordered_map<std::string, SourceSpan> ruleIndex_;
    std::vector<std::string> endpointNames_, serviceNames_, identityNames_, letterNames_;
    std::unordered_map<std::string, uint32_t> letterIndex_;
    std::vector<const ast::ZoneDecl*> zoneDecls_;
    std::vector<const ast::SaasDecl*> saasDecls_;
    std::vector<const ast::GroupDecl*> groupDecls_;
    std::vector<std::vector<SourceSpan>> zoneNetSpans_, saasNetSpans_;
    bool owned_ = false; // address ownership computed (no earlier errors)
    static constexpr size_t kMaxSuggestions = 100;
    size_t suggestions_ = 0;
};

} // namespace

bool buildPolicy(const ast::Program& program, DiagnosticEngine& diags, model::Policy& out) {
    return Sema(program, diags, out).run();
}

} // namespace netsep::sema
