#include "supervision/protocols/commands.h"

#include <fmt/format.h>

#include "supervision/protocols/frames.h"
#include "supervision/protocols/wire.h"

namespace cordon::supervision::protocols {
namespace {

void put_u16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(Bytes& b, std::uint32_t v) {
  put_u16(b, static_cast<std::uint16_t>(v >> 16));
  put_u16(b, static_cast<std::uint16_t>(v));
}

std::expected<void, CommandError> check_phone(std::string_view phone) {
  if (phone.empty() || phone.size() > 12 || phone.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::unexpected(CommandError{"bad_device_id", "a JT/T 808 terminal number is 1 to 12 digits"});
  }
  return {};
}

std::expected<Bytes, CommandError> jt808(std::uint16_t id, std::string_view phone, std::uint16_t serial, const Bytes& body) {
  if (auto ok = check_phone(phone); !ok) return std::unexpected(ok.error());
  if (body.size() > 1023) return std::unexpected(CommandError{"bad_argument", "a JT/T 808 body holds at most 1023 bytes"});
  return detail::jt808_frame(id, phone, serial, body);
}

CommandError unsupported(Protocol protocol, std::string_view what) {
  return {"unsupported", fmt::format("{} has no {} command", protocol_name(protocol), what)};
}

}  // namespace

Bytes teltonika_codec12_command(std::string_view text) {
  Bytes data = {0x0C, 0x01, 0x05};
  put_u32(data, static_cast<std::uint32_t>(text.size()));
  data.insert(data.end(), text.begin(), text.end());
  data.push_back(0x01);
  Bytes out = {0, 0, 0, 0};
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
  put_u32(out, crc16_ibm(data));
  return out;
}

Bytes gt06_command(std::string_view text, std::uint32_t server_flag, std::uint16_t serial) {
  Bytes content;
  content.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(4 + text.size(), 0xff)));
  put_u32(content, server_flag);
  content.insert(content.end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(text.size(), 0xff - 4)));
  return detail::gt06_frame(0x80, content, serial);
}

std::expected<Bytes, CommandError> jt808_text_message(std::string_view phone, std::uint16_t serial, std::string_view text,
                                                      std::uint8_t flags) {
  Bytes body = {flags};
  body.insert(body.end(), text.begin(), text.end());
  return jt808(0x8300, phone, serial, body);
}

std::expected<Bytes, CommandError> jt808_terminal_control(std::string_view phone, std::uint16_t serial,
                                                          std::uint8_t command_word, std::string_view parameters) {
  Bytes body = {command_word};
  body.insert(body.end(), parameters.begin(), parameters.end());
  return jt808(0x8105, phone, serial, body);
}

std::expected<Bytes, CommandError> jt808_reporting_interval(std::string_view phone, std::uint16_t serial,
                                                            std::uint32_t seconds) {
  Bytes body = {0x01};  // one parameter
  put_u32(body, 0x0029);
  body.push_back(4);
  put_u32(body, seconds);
  return jt808(0x8103, phone, serial, body);
}

std::expected<Bytes, CommandError> jt808_door_control(std::string_view phone, std::uint16_t serial, bool lock) {
  return jt808(0x8500, phone, serial, Bytes{static_cast<std::uint8_t>(lock ? 0x01 : 0x00)});
}

std::expected<Bytes, CommandError> jt808_registration_response(std::string_view phone, std::uint16_t serial,
                                                               std::uint16_t terminal_serial, std::uint8_t result,
                                                               std::string_view auth_code) {
  Bytes body;
  put_u16(body, terminal_serial);
  body.push_back(result);
  if (result == 0) body.insert(body.end(), auth_code.begin(), auth_code.end());
  return jt808(0x8100, phone, serial, body);
}

std::string jt600_text_command(std::string_view body) { return fmt::format("({})", body); }

std::string eseal_remote_unlock(std::string_view device_id) {
  return fmt::format("##S,eSeal,{},256,3.0.8,RC-Unlock,E##", device_id);
}

std::expected<Bytes, CommandError> encode_command(Protocol protocol, std::string_view device_id, const Command& command,
                                                  std::uint16_t serial) {
  auto text = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  switch (protocol) {
    case Protocol::kJt808:
      switch (command.type) {
        case CommandType::kSeal: return jt808_door_control(device_id, serial, true);
        case CommandType::kUnseal: return jt808_door_control(device_id, serial, false);
        case CommandType::kReportingInterval: return jt808_reporting_interval(device_id, serial, command.interval_s);
      }
      break;
    case Protocol::kEseal:
      if (command.type == CommandType::kUnseal) {
        if (device_id.empty() || device_id.find_first_not_of("0123456789") != std::string_view::npos) {
          return std::unexpected(CommandError{"bad_device_id", "an eSeal id is decimal digits"});
        }
        return text(eseal_remote_unlock(device_id));
      }
      // The eSeal locks itself when its shackle closes; its reporting interval is set locally.
      return std::unexpected(unsupported(protocol, command.type == CommandType::kSeal ? "remote seal" : "reporting-interval"));
    case Protocol::kGt06:
      if (command.type == CommandType::kReportingInterval) {
        if (command.interval_s < 5 || command.interval_s > 18000) {
          return std::unexpected(CommandError{"bad_argument", "GT06 TIMER takes 5 to 18000 seconds"});
        }
        return gt06_command(fmt::format("TIMER,{}#", command.interval_s), serial, serial);
      }
      // GT06 trackers are not locks; their relay command cuts fuel, which is not sealing.
      return std::unexpected(unsupported(protocol, "seal/unseal"));
    case Protocol::kTeltonika:
      // Seal/unseal depends on how a lock is wired to a digital output; parameter ids for the
      // interval differ between models. Use teltonika_codec12_command with the model's text.
      return std::unexpected(unsupported(protocol, "model-independent seal, unseal or interval"));
    case Protocol::kJt600:
      // The JT701 remote unlock needs the vendor's command table, which the vectors and seeds
      // do not give; jt600_text_command sends a documented command verbatim.
      return std::unexpected(unsupported(protocol, "documented seal/unseal/interval"));
    case Protocol::kOsmand:
    case Protocol::kCordonJson:
      return std::unexpected(unsupported(protocol, "downlink (HTTP devices only send)"));
  }
  return std::unexpected(unsupported(protocol, "such"));
}

}  // namespace cordon::supervision::protocols
