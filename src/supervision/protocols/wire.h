// Wire-level helpers shared by the protocol decoders: hex, checksums, BCD, JT/T 808 escaping,
// and a bounds-checked big-endian reader.
//
// Thread-safety: all functions are pure; a ByteReader is a value used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::supervision::protocols {

// "78 78 0d 01" or "78780D01" or "0x78780d01" → bytes; nullopt for an odd digit count or a
// character that is neither a hex digit nor white space.
std::optional<std::vector<std::uint8_t>> parse_hex(std::string_view text);
// Lower-case, no separators.
std::string to_hex(std::span<const std::uint8_t> bytes);

// CRC-16/ARC (Teltonika calls it CRC-16/IBM): polynomial 0x8005 reflected, init 0.
std::uint16_t crc16_ibm(std::span<const std::uint8_t> bytes);
// CRC-16/X-25 (Concox calls it CRC-ITU): polynomial 0x1021 reflected, init and xor-out 0xFFFF.
std::uint16_t crc16_itu(std::span<const std::uint8_t> bytes);
// XOR of every byte (JT/T 808 check code).
std::uint8_t xor_checksum(std::span<const std::uint8_t> bytes);

// JT/T 808 §4.4.2: 0x7E → 0x7D 0x02 and 0x7D → 0x7D 0x01 between the flag bytes.
std::vector<std::uint8_t> jt808_escape(std::span<const std::uint8_t> bytes);
// The inverse; nullopt when 0x7D is followed by anything but 0x01 or 0x02, or ends the input.
std::optional<std::vector<std::uint8_t>> jt808_unescape(std::span<const std::uint8_t> bytes);

// Packed BCD → decimal digits ("794308010679"); nullopt when a nibble is above 9.
std::optional<std::string> bcd_digits(std::span<const std::uint8_t> bytes);
// Decimal digits → packed BCD of `size` bytes, left-padded with zeros; nullopt when the digits
// do not fit or are not digits.
std::optional<std::vector<std::uint8_t>> digits_to_bcd(std::string_view digits, std::size_t size);

// UTC seconds since the epoch for a calendar date and time; nullopt when any part is out of
// range (month 13, 31 February, hour 24, ...). Years are full years (2015, not 15).
std::optional<std::int64_t> utc_seconds(int year, int month, int day, int hour, int minute, int second);

// Reads big-endian integers and byte runs without ever leaving the buffer. A read past the end
// returns zeros and marks the reader as overrun; decoders check ok() once at the end instead of
// before every field.
class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u24();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int16_t i16() { return static_cast<std::int16_t>(u16()); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  // The next n bytes, or an empty span (and overrun) when fewer remain.
  std::span<const std::uint8_t> take(std::size_t n);
  void skip(std::size_t n) { take(n); }
  std::uint8_t peek(std::size_t offset = 0) const;

  std::size_t remaining() const { return overrun_ ? 0 : bytes_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool ok() const { return !overrun_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool overrun_ = false;
};

}  // namespace cordon::supervision::protocols
