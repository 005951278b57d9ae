// Encoders for commands from the platform to devices, in each device's own protocol.
//
// encode_command() covers what supervision needs (seal, unseal, reporting interval) where the
// protocol defines it, and refuses with "unsupported" where it does not, rather than sending
// something a device might misread. The protocol-specific functions below it send anything else
// the vendor documents (text commands, parameters).
//
// The caller owns serial numbers (one counter per connection is enough) and writes the bytes to
// the device's connection; the device's answer comes back through the StreamDecoder as a
// MessageKind::kCommandAck message.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "supervision/protocols/protocols.h"

namespace cordon::supervision::protocols {

enum class CommandType {
  kSeal,               // lock the e-lock / arm the seal
  kUnseal,             // unlock (remote unsealing at the destination)
  kReportingInterval,  // seconds between position reports while moving
};

struct Command {
  CommandType type = CommandType::kSeal;
  std::uint32_t interval_s = 0;  // for kReportingInterval
};

struct CommandError {
  std::string rule;     // "unsupported", "bad_device_id", "bad_argument"
  std::string message;
};

// `device_id` is as the decoder reported it (the JT/T 808 terminal phone, the eSeal id, ...);
// `serial` is the platform's message serial where the protocol has one.
std::expected<Bytes, CommandError> encode_command(Protocol protocol, std::string_view device_id,
                                                  const Command& command, std::uint16_t serial);

// Teltonika Codec 12 GPRS command ("getinfo", "setdigout 1", "setparam 10050:60").
Bytes teltonika_codec12_command(std::string_view text);

// GT06 online command 0x80 ("DYD,000000#", "TIMER,60#"). `server_flag` is echoed back in the
// device's 0x15/0x21 answer so it can be matched to the command.
Bytes gt06_command(std::string_view text, std::uint32_t server_flag, std::uint16_t serial);

// JT/T 808 (2013 header; `phone` up to 12 digits):
// 0x8300 text message, flag bits per the standard (0x01 emergency, 0x08 TTS, ...).
std::expected<Bytes, CommandError> jt808_text_message(std::string_view phone, std::uint16_t serial,
                                                      std::string_view text, std::uint8_t flags = 0x01);
// 0x8105 terminal control: command word and its parameters (";"-separated text).
std::expected<Bytes, CommandError> jt808_terminal_control(std::string_view phone, std::uint16_t serial,
                                                          std::uint8_t command_word, std::string_view parameters);
// 0x8103 set parameter 0x0029 (default time reporting interval, seconds).
std::expected<Bytes, CommandError> jt808_reporting_interval(std::string_view phone, std::uint16_t serial,
                                                            std::uint32_t seconds);
// 0x8500 vehicle control, control flag bit 0: 1 = lock the doors, 0 = unlock.
std::expected<Bytes, CommandError> jt808_door_control(std::string_view phone, std::uint16_t serial, bool lock);
// 0x8100 registration answer with a result (0 success, 1 vehicle registered, 2 no such vehicle,
// 3 terminal registered, 4 no such terminal) and, on success, the authentication code.
std::expected<Bytes, CommandError> jt808_registration_response(std::string_view phone, std::uint16_t serial,
                                                               std::uint16_t terminal_serial, std::uint8_t result,
                                                               std::string_view auth_code);

// JT600/JT701 text command: "(" + body + ")", e.g. "S07,0" (relay off) or "S17" (reboot).
std::string jt600_text_command(std::string_view body);

// eSeal remote unlock: "##S,eSeal,<id>,256,3.0.8,RC-Unlock,E##".
std::string eseal_remote_unlock(std::string_view device_id);

}  // namespace cordon::supervision::protocols
