#pragma once
#include "report/AuditReport.hpp"

#include <string>
#include <vector>

namespace netsep::report {

// The exception register a supervisor asks for: one row per exception,
// with its legal basis, what it opens, its period, approver, kill switch
// and findings. Columns are documented in docs/audit.md ("Exception
// register"); their names are stable.
const std::vector<const char*>& registerColumns();

// RFC 4180 CSV (UTF-8 with a byte-order mark so spreadsheets read Korean
// text; CRLF line ends; every field quoted). Safe to open in a spreadsheet:
// a cell that starts with = + - @ or a tab/CR (a formula to Excel,
// LibreOffice, Google Sheets) gets a leading apostrophe, and control
// characters become '?'.
std::string registerCsv(const AuditInput& in);
// The same rows as JSON objects keyed by column name; list columns are
// arrays.
std::string registerJson(const AuditInput& in);

// One CSV field, quoted and neutralised as registerCsv does.
std::string csvField(std::string_view value);

} // namespace netsep::report
