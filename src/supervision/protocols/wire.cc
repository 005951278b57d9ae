#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':' || c == '-'; }

}  // namespace

std::optional<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (char c : text) {
    if (is_space(c)) {
      // A separator inside a byte ("7 8") would silently shift every later byte.
      if (high >= 0) return std::nullopt;
      continue;
    }
    int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::uint16_t crc16_ibm(std::span<const std::uint8_t> bytes) {
  std::uint16_t crc = 0;
  for (std::uint8_t b : bytes) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
  }
  return crc;
}

std::uint16_t crc16_itu(std::span<const std::uint8_t> bytes) {
  std::uint16_t crc = 0xFFFF;
  for (std::uint8_t b : bytes) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : crc >> 1;
  }
  return static_cast<std::uint16_t>(crc ^ 0xFFFF);
}

std::uint8_t xor_checksum(std::span<const std::uint8_t> bytes) {
  std::uint8_t x = 0;
  for (std::uint8_t b : bytes) x ^= b;
  return x;
}

std::vector<std::uint8_t> jt808_escape(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> out;
  out.reserve(bytes.size() + 4);
  for (std::uint8_t b : bytes) {
    if (b == 0x7e) {
      out.push_back(0x7d);
      out.push_back(0x02);
    } else if (b == 0x7d) {
      out.push_back(0x7d);
      out.push_back(0x01);
    } else {
      out.push_back(b);
    }
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> jt808_unescape(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] != 0x7d) {
      out.push_back(bytes[i]);
      continue;
    }
    if (i + 1 >= bytes.size()) return std::nullopt;
    std::uint8_t next = bytes[++i];
    if (next == 0x01) {
      out.push_back(0x7d);
    } else if (next == 0x02) {
      out.push_back(0x7e);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> bcd_digits(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    int high = b >> 4, low = b & 0x0f;
    if (high > 9 || low > 9) return std::nullopt;
    out.push_back(static_cast<char>('0' + high));
    out.push_back(static_cast<char>('0' + low));
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> digits_to_bcd(std::string_view digits, std::size_t size) {
  if (digits.size() > size * 2) return std::nullopt;
  std::string padded(size * 2 - digits.size(), '0');
  padded.append(digits);
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) {
    char h = padded[2 * i], l = padded[2 * i + 1];
    if (h < '0' || h > '9' || l < '0' || l > '9') return std::nullopt;
    out[i] = static_cast<std::uint8_t>((h - '0') << 4 | (l - '0'));
  }
  return out;
}

std::optional<std::int64_t> utc_seconds(int year, int month, int day, int hour, int minute, int second) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int month_days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > month_days) return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  int y = year - (month <= 2 ? 1 : 0);
  int era = y / 400;
  int yoe = y - era * 400;
  int mp = (month + 9) % 12;
  int doy = (153 * mp + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::uint8_t ByteReader::u8() {
  auto s = take(1);
  return s.empty() ? 0 : s[0];
}

std::uint16_t ByteReader::u16() {
  auto s = take(2);
  return s.empty() ? 0 : static_cast<std::uint16_t>(s[0] << 8 | s[1]);
}

std::uint32_t ByteReader::u24() {
  auto s = take(3);
  return s.empty() ? 0 : (std::uint32_t{s[0]} << 16 | std::uint32_t{s[1]} << 8 | s[2]);
}

std::uint32_t ByteReader::u32() {
  auto s = take(4);
  if (s.empty()) return 0;
  return std::uint32_t{s[0]} << 24 | std::uint32_t{s[1]} << 16 | std::uint32_t{s[2]} << 8 | s[3];
}

std::uint64_t ByteReader::u64() {
  std::uint64_t high = u32();
  std::uint64_t low = u32();
  return high << 32 | low;
}

std::span<const std::uint8_t> ByteReader::take(std::size_t n) {
  if (overrun_ || n > bytes_.size() - pos_) {
    overrun_ = true;
    return {};
  }
  auto s = bytes_.subspan(pos_, n);
  pos_ += n;
  return s;
}

std::uint8_t ByteReader::peek(std::size_t offset) const {
  if (overrun_ || offset >= bytes_.size() - pos_) return 0;
  return bytes_[pos_ + offset];
}

}  // namespace cordon::supervision::protocols
