// UTF-8 helpers for the protocol layer: code-point counting (AWS measures
// string lengths in Unicode code points) and decoding to wide strings for
// pattern matching.
//
// Malformed UTF-8 never fails these functions: each invalid byte counts as
// one code point and decodes to U+FFFD, so a hostile input cannot crash or
// desynchronise a caller.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gee::protocol {

// Number of Unicode code points in `text`.
size_t CodePointCount(std::string_view text);

// `text` decoded to code points, one wchar_t (UTF-32 on Linux) each.
std::wstring Utf8ToWide(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point` to `out`.
void AppendUtf8(char32_t code_point, std::string& out);

}  // namespace gee::protocol
