#include "drill/DrillRecord.hpp"

#include "driver/PolicyDigest.hpp"

namespace netsep::drill {

using nlohmann::json;

std::string canonicalContent(const json& record) {
    json content = record;
    if (content.is_object())
        content.erase("record_sha256");
    try {
        // nlohmann's objects are std::map: keys come out sorted.
        return content.dump(-1, ' ', false, json::error_handler_t::strict);
    } catch (const json::exception&) {
        return "";
    }
}

std::string recordDigest(const json& record) {
    std::string content = canonicalContent(record);
    return content.empty() ? "" : driver::sha256Hex(content);
}

std::string sealRecord(json& record) {
    record["record_sha256"] = recordDigest(record);
    return record.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

std::string str(const json& j, const char* key, bool& ok) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
        ok = false;
        return "";
    }
    return it->get<std::string>();
}

std::optional<long> ms(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<long>();
}

} // namespace

DrillRecord parseDrillRecord(const std::string& text, const std::string& file) {
    DrillRecord r;
    r.file = file;
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        r.problem = "not a JSON object";
        return r;
    }
    bool ok = true;
    if (str(j, "format", ok) != kDrillRecordFormat || !ok) {
        r.problem = std::string("not a drill record (format is not ") + kDrillRecordFormat + ")";
        return r;
    }
    r.sha256 = str(j, "record_sha256", ok);
    std::string expected = recordDigest(j);
    if (!ok || r.sha256.empty() || expected != r.sha256) {
        r.problem = "record_sha256 does not match the record's content (edited after the drill)";
        return r;
    }
    r.startedUtc = str(j, "started_utc", ok);
    r.netsepVersion = str(j, "netsep_version", ok);
    r.firewall = str(j, "firewall", ok);
    r.backend = str(j, "backend", ok);
    r.group = str(j, "group", ok);
    r.operatorName = str(j, "operator", ok);
    r.ticket = str(j, "ticket", ok);
    r.result = str(j, "result", ok);
    const json& policy = j.value("policy", json::object());
    r.policyPath = policy.is_object() ? str(policy, "path", ok) : "";
    r.policyDigest = policy.is_object() ? str(policy, "digest", ok) : "";
    if (policy.is_object() == false)
        ok = false;
    if (const auto it = j.find("exceptions"); it != j.end() && it->is_array()) {
        for (const auto& e : *it)
            if (e.is_object() && e.contains("name") && e["name"].is_string())
                r.exceptions.push_back(e["name"].get<std::string>());
    } else {
        ok = false;
    }
    if (const auto it = j.find("failed_checks"); it != j.end() && it->is_array()) {
        for (const auto& e : *it)
            if (e.is_string())
                r.failedChecks.push_back(e.get<std::string>());
    }
    if (const auto it = j.find("flows"); it != j.end() && it->is_array()) {
        for (const auto& f : *it) {
            if (!f.is_object())
                continue;
            bool fok = true;
            RecordedFlow rf;
            rf.role = str(f, "role", fok);
            rf.rule = str(f, "rule", fok);
            rf.family = str(f, "family", fok);
            rf.src = str(f, "src", fok);
            rf.dst = str(f, "dst", fok);
            rf.port = f.value("port", 0);
            rf.passedAll = f.value("as_expected", false);
            r.flows.push_back(rf);
        }
    } else {
        ok = false;
    }
    const json& t = j.value("timings_ms", json::object());
    if (t.is_object()) {
        r.engageToCutMs = ms(t, "engage_to_cut");
        r.engageMs = ms(t, "engage");
        r.restoreMs = ms(t, "restore");
    }
    bool dateOk = r.startedUtc.size() >= 10;
    if (!ok || !dateOk || (r.result != "passed" && r.result != "failed")) {
        r.problem = "a required key is missing or has the wrong type";
        return r;
    }
    r.date = r.startedUtc.substr(0, 10);
    r.intact = true;
    return r;
}

} // namespace netsep::drill
