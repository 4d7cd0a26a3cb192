#include "crypto/encoding.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gee::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of each standard-alphabet character; kNotSextet for every other byte.
constexpr uint8_t kNotSextet = 0xFF;
constexpr std::array<uint8_t, 256> MakeSextets() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kNotSextet;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<uint8_t, 256> kSextets = MakeSextets();

// Decoding tables, one per position in a quantum of four characters: entry c
// holds the sextet of c already shifted to where it lands in the three
// output bytes, read as a little-endian word (byte 0 = first output byte).
// Characters outside the alphabet hold kBadBit, which no sextet reaches, so
// OR-ing a quantum's four entries both decodes it and flags it.
constexpr uint32_t kBadBit = 0x01000000;
constexpr std::array<uint32_t, 256> MakePositionTable(int position) {
  std::array<uint32_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const uint32_t s = kSextets[c];
    if (s == kNotSextet) {
      table[c] = kBadBit;
      continue;
    }
    switch (position) {
      case 0: table[c] = s << 2; break;
      case 1: table[c] = (s >> 4) | ((s & 0x0F) << 12); break;
      case 2: table[c] = ((s >> 2) << 8) | ((s & 0x03) << 22); break;
      default: table[c] = s << 16; break;
    }
  }
  return table;
}
constexpr std::array<uint32_t, 256> kDecode0 = MakePositionTable(0);
constexpr std::array<uint32_t, 256> kDecode1 = MakePositionTable(1);
constexpr std::array<uint32_t, 256> kDecode2 = MakePositionTable(2);
constexpr std::array<uint32_t, 256> kDecode3 = MakePositionTable(3);

uint8_t Byte(std::string_view text, size_t i) { return static_cast<uint8_t>(text[i]); }

// Encoding table for twelve bits at a time: entry n holds the two
// characters for sextets n >> 6 and n & 63.
constexpr std::array<std::array<char, 2>, 4096> MakePairs() {
  std::array<std::array<char, 2>, 4096> table{};
  for (int n = 0; n < 4096; ++n) table[n] = {kAlphabet[n >> 6], kAlphabet[n & 63]};
  return table;
}
constexpr std::array<std::array<char, 2>, 4096> kPairs = MakePairs();

#if defined(__SSE2__)
// 0xFF in each lane whose byte lies in [lo, hi]: the shift maps lo to -128,
// so one signed compare tests the whole range.
__m128i InRange(__m128i bytes, char lo, char hi) {
  const __m128i shifted = _mm_add_epi8(bytes, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 + (hi - lo) + 1)));
}
#endif

// True when every byte of `text` is in the standard alphabet ('=' is not).
// Sixteen bytes at a time with SSE2 (every x86-64 CPU): blobs of a few KiB
// are checked on every KMS request.
bool AllInAlphabet(std::string_view text) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128i all = _mm_set1_epi8(-1);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // '/' (0x2F) sits just below the digits, so one range covers both.
    const __m128i ok = _mm_or_si128(_mm_or_si128(InRange(bytes, '/', '9'), InRange(bytes, 'A', 'Z')),
                                    _mm_or_si128(InRange(bytes, 'a', 'z'), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('+'))));
    all = _mm_and_si128(all, ok);
  }
  if (_mm_movemask_epi8(all) != 0xFFFF) return false;
#endif
  uint8_t seen = 0;
  for (; i < text.size(); ++i) seen |= kSextets[Byte(text, i)];
  return (seen & 0xC0) == 0;  // kNotSextet has these bits; no sextet does
}

// Number of '=' that end `text` as padding (0..2): the last character, and
// the one before it when the last is '='.
size_t Padding(std::string_view text) {
  if (text.empty() || text.back() != '=') return 0;
  return text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
}

// The three bytes a whole quantum at `p` decodes to (as a little-endian
// word, see kDecode0), with kBadBit set if any character is not base64.
uint32_t DecodeQuantum(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return kDecode0[u[0]] | kDecode1[u[1]] | kDecode2[u[2]] | kDecode3[u[3]];
}

// Strictly decodes `text` into `out`, which has room for
// Base64DecodedLength(text) bytes. Returns false, with `out` partly written,
// when `text` has any flaw FindBase64Flaw reports.
bool DecodeInto(std::string_view text, uint8_t* out) {
  if (text.size() % 4 != 0) return false;
  const size_t data_chars = text.size() - Padding(text);
  const size_t whole = data_chars / 4;
  const char* src = text.data();
  uint32_t flags = 0;
  size_t q = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // Four-byte stores; the fourth byte is overwritten by the next quantum,
    // so the last whole quantum is left to the byte-wise loop below.
    for (; q + 1 < whole; ++q, src += 4, out += 3) {
      const uint32_t word = DecodeQuantum(src);
      flags |= word;
      std::memcpy(out, &word, 4);
    }
  }
  for (; q < whole; ++q, src += 4, out += 3) {
    const uint32_t word = DecodeQuantum(src);
    flags |= word;
    out[0] = static_cast<uint8_t>(word);
    out[1] = static_cast<uint8_t>(word >> 8);
    out[2] = static_cast<uint8_t>(word >> 16);
  }
  const size_t rest = data_chars % 4;  // 0, 2 or 3 (the length is a multiple of 4)
  if (rest != 0) {
    const auto* u = reinterpret_cast<const uint8_t*>(src);
    uint32_t word = kDecode0[u[0]] | kDecode1[u[1]];
    if (rest == 3) word |= kDecode2[u[2]];
    flags |= word;
    out[0] = static_cast<uint8_t>(word);
    if (rest == 3) out[1] = static_cast<uint8_t>(word >> 8);
    // The byte after the last whole one must be empty (canonical encoding).
    if (static_cast<uint8_t>(word >> (rest == 3 ? 16 : 8)) != 0) return false;
  }
  return (flags & kBadBit) == 0;
}

AwsError InvalidBase64(std::string_view why) {
  return AwsError("ValidationException",
                  "Invalid base64 encoding: " + std::string(why), 400);
}

AwsError Describe(const Base64Flaw& flaw) {
  switch (flaw.kind) {
    case Base64Flaw::Kind::kLength:
      return InvalidBase64("length is not a multiple of 4");
    case Base64Flaw::Kind::kCharacter:
      return InvalidBase64("character outside the alphabet at offset " + std::to_string(flaw.offset));
    default:
      return InvalidBase64("non-canonical padding bits");
  }
}

std::string ToUrlAlphabet(std::string s) {
  for (char& c : s) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

}  // namespace

std::optional<Base64Flaw> FindBase64Flaw(std::string_view text) {
  if (text.size() % 4 != 0) return Base64Flaw{Base64Flaw::Kind::kLength};
  const size_t padding = Padding(text);
  const size_t data_chars = text.size() - padding;
  // The offending index is looked for only once something is known to be wrong.
  if (!AllInAlphabet(text.substr(0, data_chars))) {
    for (size_t i = 0; i < data_chars; ++i) {
      if (kSextets[Byte(text, i)] == kNotSextet) return Base64Flaw{Base64Flaw::Kind::kCharacter, i};
    }
  }
  if (padding > 0) {
    // The bits after the last whole byte must be zero.
    const uint8_t last = kSextets[Byte(text, data_chars - 1)];
    const uint8_t unused_mask = padding == 2 ? 0x0F : 0x03;
    if ((last & unused_mask) != 0) return Base64Flaw{Base64Flaw::Kind::kTrailingBits};
  }
  return std::nullopt;
}

size_t Base64DecodedLength(std::string_view text) { return text.size() / 4 * 3 - Padding(text); }

void AppendBase64(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* dst = out.data() + start;
  const auto* src = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = src + bytes.size();
  // Six bytes a step, read as one big-endian word (two more are read than used).
  for (; end - src >= 8; src += 6, dst += 8) {
    uint64_t w;
    std::memcpy(&w, src, sizeof w);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
    std::memcpy(dst, kPairs[w >> 52].data(), 2);
    std::memcpy(dst + 2, kPairs[(w >> 40) & 0xFFF].data(), 2);
    std::memcpy(dst + 4, kPairs[(w >> 28) & 0xFFF].data(), 2);
    std::memcpy(dst + 6, kPairs[(w >> 16) & 0xFFF].data(), 2);
  }
  for (; end - src >= 3; src += 3, dst += 4) {
    const uint32_t n = (uint32_t{src[0]} << 16) | (uint32_t{src[1]} << 8) | src[2];
    std::memcpy(dst, kPairs[n >> 12].data(), 2);
    std::memcpy(dst + 2, kPairs[n & 0xFFF].data(), 2);
  }
  if (end - src == 1) {
    dst[0] = kAlphabet[src[0] >> 2];
    dst[1] = kAlphabet[(src[0] & 0x03) << 4];
    dst[2] = '=';
    dst[3] = '=';
  } else if (end - src == 2) {
    const uint32_t n = (uint32_t{src[0]} << 8) | src[1];
    dst[0] = kAlphabet[n >> 10];
    dst[1] = kAlphabet[(n >> 4) & 63];
    dst[2] = kAlphabet[(n & 0x0F) << 2];
    dst[3] = '=';
  }
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  AppendBase64(bytes, out);
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  std::string out(text.size() % 4 == 0 ? Base64DecodedLength(text) : 0, '\0');
  if (!DecodeInto(text, reinterpret_cast<uint8_t*>(out.data()))) return Describe(*FindBase64Flaw(text));
  return out;
}

Result<SecretBytes> Base64DecodeSecret(std::string_view text) {
  SecretBytes out(text.size() % 4 == 0 ? Base64DecodedLength(text) : 0);
  if (!DecodeInto(text, out.data())) return Describe(*FindBase64Flaw(text));
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  return ToUrlAlphabet(Base64Encode(bytes));
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/') return InvalidBase64("character outside the alphabet");
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  if (standard.find('=') == std::string::npos) {
    if (standard.size() % 4 == 1) return InvalidBase64("impossible length");
    standard.append((4 - standard.size() % 4) % 4, '=');
  }
  return Base64Decode(standard);
}

}  // namespace gee::crypto
