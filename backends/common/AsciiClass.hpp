#pragma once

// Locale-independent ASCII character classes for the backends' sanitisers
// and name checks (std::isalnum and friends depend on the C locale).
namespace netsep::backends {

inline bool isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

inline bool isAsciiAlnum(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
}

// [A-Za-z0-9_-]: the characters of a plain name.
inline bool isNameChar(char c) {
    return isAsciiAlnum(c) || c == '_' || c == '-';
}

} // namespace netsep::backends
