#include "report/Register.hpp"

#include "diag/Printable.hpp"
#include "report/AuditFacts.hpp"

#include <nlohmann/json.hpp>

namespace netsep::report {

namespace {

// A cell's value: one string, or a list (joined with "; " in CSV).
struct Cell {
    std::vector<std::string> values;
    bool list = false;
};

Cell one(std::string v) {
    return {{std::move(v)}, false};
}
Cell many(std::vector<std::string> v) {
    return {std::move(v), true};
}

std::vector<std::vector<Cell>> rows(const AuditInput& in) {
    std::vector<std::vector<Cell>> out;
    for (const auto& f : facts::exceptions(in)) {
        std::vector<std::string> sources;
        const model::Rule& r = in.policy.rules[f.rule];
        if (r.fromAny)
            sources.push_back("any");
        for (const auto& e : r.from)
            if (!r.fromAny)
                sources.push_back(in.policy.endpointName(e));
        if (r.identity)
            sources.push_back("as " + in.policy.identities[*r.identity].name);
        // Only intact records count (audit::drillEvidence rejects the rest).
        const drill::DrillRecord* lastDrill = nullptr;
        if (in.drills)
            for (const auto& g : in.drills->groups)
                if (g.group == f.killSwitch && g.last)
                    lastDrill = &*g.last;
        out.push_back({
            one(f.firm.empty() ? in.policy.name : f.firm),
            one(in.policy.name),
            one(f.name),
            one(f.where),
            one(f.basisId),
            one(f.basisKind),
            one(f.inlineBasis ? "yes" : "no"),
            one(f.letterIssued),
            one(f.letterExpires),
            one(f.letterSha256),
            one(f.purpose),
            many(f.providers),
            many(f.endpoints),
            many(f.fqdns),
            many(f.networks),
            many(sources),
            one(f.services),
            one(f.validFrom),
            one(f.validUntil),
            one(f.expires),
            one(f.inForce ? "yes" : "no"),
            one(f.approvedBy),
            one(f.killSwitch),
            one(lastDrill ? lastDrill->date : std::string()),
            one(lastDrill ? lastDrill->result : std::string()),
            one(std::string(audit::verdictName(f.verdict))),
            many(f.violations),
            one(in.audit.asOf.str()),
            one(in.provenance.digest),
        });
    }
    return out;
}

} // namespace

const std::vector<const char*>& registerColumns() {
    static const std::vector<const char*> columns = {"firm",
                                                     "policy",
                                                     "exception",
                                                     "location",
                                                     "letter",
                                                     "letter_kind",
                                                     "inline_basis",
                                                     "letter_issued",
                                                     "letter_expires",
                                                     "letter_sha256",
                                                     "purpose",
                                                     "providers",
                                                     "endpoints",
                                                     "fqdns",
                                                     "networks",
                                                     "sources",
                                                     "services",
                                                     "valid_from",
                                                     "valid_until",
                                                     "expires",
                                                     "in_force",
                                                     "approved_by",
                                                     "kill_switch_group",
                                                     "last_drill",
                                                     "last_drill_result",
                                                     "verdict",
                                                     "findings",
                                                     "as_of",
                                                     "policy_digest"};
    return columns;
}

std::string csvField(std::string_view value) {
    std::string v = printable(value);
    // Spreadsheets run a cell that starts with one of these as a formula
    // (OWASP "CSV injection"); the apostrophe makes it text.
    if (!v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    std::string out = "\"";
    for (char c : v) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string registerCsv(const AuditInput& in) {
    std::string out = "\xEF\xBB\xBF";
    const auto& columns = registerColumns();
    for (size_t i = 0; i < columns.size(); ++i)
        out += (i ? "," : "") + csvField(columns[i]);
    out += "\r\n";
    for (const auto& row : rows(in)) {
        for (size_t i = 0; i < row.size(); ++i) {
            std::string joinedValue;
            for (const auto& v : row[i].values)
                joinedValue += (joinedValue.empty() ? "" : "; ") + v;
            out += (i ? "," : "") + csvField(joinedValue);
        }
        out += "\r\n";
    }
    return out;
}

std::string registerJson(const AuditInput& in) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["register"] = "netsep separation-exception register";
    j["policy"] = in.policy.name;
    j["asOf"] = in.audit.asOf.str();
    j["netsepVersion"] = in.provenance.version;
    j["policyDigest"] = in.provenance.digest;
    ordered_json list = ordered_json::array();
    const auto& columns = registerColumns();
    for (const auto& row : rows(in)) {
        ordered_json o;
        for (size_t i = 0; i < row.size(); ++i) {
            if (row[i].list)
                o[columns[i]] = row[i].values;
            else
                o[columns[i]] = row[i].values.front();
        }
        list.push_back(std::move(o));
    }
    j["exceptions"] = std::move(list);
    return printableJson(j.dump(2)) + "\n";
}

} // namespace netsep::report
