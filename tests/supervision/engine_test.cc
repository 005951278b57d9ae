#include "supervision/engine.h"

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace cordon::supervision {
namespace {

using namespace testing;
using protocols::Event;

protocols::DeviceMessage with_event(protocols::DeviceMessage m, Event e) {
  m.records[0].events.push_back(e);
  return m;
}

// --- devices ---------------------------------------------------------------------------------

TEST(EngineDevices, LifecycleThroughAJourney) {
  SupervisionEngine engine;
  Device d;
  d.id = "D1";
  d.home_station = "VILNIUS";
  ASSERT_TRUE(engine.register_device(d, kT0 - 7200));
  EXPECT_FALSE(engine.register_device(d, kT0));
  EXPECT_EQ(engine.device("D1")->station, "VILNIUS");
  EXPECT_EQ(engine.device("D1")->capabilities, default_capabilities(DeviceType::kActive));
  auto bad = engine.set_device_status("D1", DeviceStatus::kUnsealed, kT0);
  ASSERT_FALSE(bad);
  bad = engine.set_device_status("D1", DeviceStatus::kRecovered, kT0);
  ASSERT_FALSE(bad);
  bad = engine.recover_device("D1", "MINSK", kT0);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("cannot go from in_stock to recovered"), std::string::npos) << bad.error();

  JourneyPlan plan;
  plan.declaration.mrn = "MRN1";
  plan.declaration.device_ids = {"D1"};
  plan.route = test_route();
  plan.time_limit_s = 86400;
  const auto j = engine.open_journey(plan, "officer", kT0 - 600);
  ASSERT_TRUE(j);
  EXPECT_EQ(engine.device("D1")->status, DeviceStatus::kAssigned);
  EXPECT_FALSE(engine.open_journey(plan, "officer", kT0 - 600));  // same MRN, and the device is taken
  ASSERT_TRUE(engine.seal(*j, "officer", kT0));
  EXPECT_EQ(engine.device("D1")->status, DeviceStatus::kSealed);
  EXPECT_EQ(engine.device("D1")->station, "");
  EXPECT_FALSE(engine.seal(*j, "officer", kT0));
  engine.ingest(message("D1", kT0 + 60, at_km(0)), kT0 + 61);
  engine.ingest(message("D1", kT0 + 120, at_km(2)), kT0 + 121);
  EXPECT_EQ(engine.device("D1")->status, DeviceStatus::kInTransit);
  ASSERT_TRUE(engine.unseal(*j, "officer.minsk", kT0 + 7200));
  EXPECT_EQ(engine.device("D1")->status, DeviceStatus::kUnsealed);
  EXPECT_EQ(engine.journey(*j)->status, JourneyStatus::kEnded);
  EXPECT_EQ(engine.journey(*j)->events.back().kind, JourneyEventKind::kUnsealed);
  EXPECT_EQ(engine.ingest(message("D1", kT0 + 7300, at_km(130)), kT0 + 7300).status, IngestResult::Status::kNotSupervised);
  ASSERT_TRUE(engine.recover_device("D1", "MINSK", kT0 + 7400));
  ASSERT_TRUE(engine.set_device_status("D1", DeviceStatus::kCharging, kT0 + 7500));
  ASSERT_TRUE(engine.set_device_status("D1", DeviceStatus::kInStock, kT0 + 9000));
  EXPECT_EQ(engine.ledger().stock_at("VILNIUS", kT0 + 9000), 0);
  EXPECT_EQ(engine.ledger().stock_at("MINSK", kT0 + 9000), 1);
  const auto stock = engine.stock_by_station();
  ASSERT_EQ(stock.size(), 1u);
  EXPECT_EQ(stock[0].station, "MINSK");
  EXPECT_EQ(stock[0].available, 1);
  // The MRN can be reused once the first journey ended; the device is back in stock.
  EXPECT_TRUE(engine.open_journey(plan, "officer", kT0 + 9100));
}

TEST(EngineDevices, OpenJourneyRefusals) {
  SupervisionEngine engine;
  JourneyPlan plan;
  plan.declaration.mrn = "MRN1";
  plan.declaration.device_ids = {"NOPE"};
  plan.route = test_route();
  plan.time_limit_s = 3600;
  auto r = engine.open_journey(plan, "o", kT0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "declaration.device_ids[0]: device \"NOPE\" is not registered");
  Device d;
  d.id = "D1";
  d.status = DeviceStatus::kCharging;
  ASSERT_TRUE(engine.register_device(d, kT0));
  plan.declaration.device_ids = {"D1"};
  r = engine.open_journey(plan, "o", kT0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("cannot go from charging to assigned"), std::string::npos);
  plan.declaration.mrn.clear();
  EXPECT_FALSE(engine.open_journey(plan, "o", kT0));
}

// --- detectors: a clean journey with every kind of innocuous noise ----------------------------

TEST(EngineDetectors, NoisyButInnocentJourneyRaisesNothing) {
  CargoConditions cargo;
  cargo.temperature_c = Range{2, 8};
  cargo.tank_truck = true;
  Fixture f(cargo);
  std::int64_t t = kT0 + 60;
  auto send = [&](std::int64_t time, LatLon p, double temp, double fuel) {
    auto m = message("D1", time, p);
    m.records[0].sensors.temperature_c = temp;
    m.records[0].sensors.fuel_level = fuel;
    m.records[0].sensors.battery_percent = 80;
    f.engine.ingest(m, time + 2);
  };
  // 20 min waiting at the departure office.
  for (int i = 0; i < 40; ++i, t += 30) send(t, at_km(0, 20), 5, 80 + (i % 2));
  // Drive to km 50 with a single wild fix, a 90 s drift of 1.6 km and a temperature spike.
  for (double km = 0; km < 50; km += 80.0 / 3600 * 30, t += 30) {
    LatLon p = at_km(km);
    if (std::fabs(km - 10) < 0.3) p = at_km(km, 30000);            // one bad fix, 30 km away
    if (km > 20 && km < 22) p = at_km(km, 1600);                    // drift ~90 s
    const double temp = std::fabs(km - 30) < 0.3 ? 14 : 5;          // one spike
    send(t, p, temp, 80 + (static_cast<int>(km) % 3) * 0.5);
  }
  // 40 min at the rest area, with fuel sensor noise and one absurd reading.
  for (int i = 0; i < 80; ++i, t += 30) send(t, at_km(50, 50), 5, i == 40 ? 60 : 80 + (i % 3) * 0.6);
  // A 6 min stop on the road shoulder (under the illegal-stay limit).
  for (double km = 50; km < 80; km += 80.0 / 3600 * 30, t += 30) send(t, at_km(km), 5, 80);
  for (int i = 0; i < 12; ++i, t += 30) send(t, at_km(80, 10), 5, 80);
  for (double km = 80; km < 130; km += 80.0 / 3600 * 30, t += 30) send(t, at_km(km), 5, 80);
  // At destination: 30 min waiting, then the officer opens the lock and ends supervision.
  for (int i = 0; i < 60; ++i, t += 30) send(t, at_km(130, 30), 5, 80);
  f.engine.ingest(with_event(message("D1", t, at_km(130, 30)), Event::kLockOpened), t + 1);
  f.engine.tick(t + 60);
  EXPECT_TRUE(f.alarms().empty()) << alarm_type_name(f.alarms()[0]->type) << " " << f.alarms()[0]->detail;
  ASSERT_TRUE(f.engine.unseal(f.journey, "officer", t + 120));
  EXPECT_EQ(f.engine.journey_grade(f.journey), JourneyGrade::kNone);
  EXPECT_FALSE(f.engine.requires_red_channel(f.journey));
  bool saw_rest_area = false, saw_opening = false;
  for (const JourneyEvent& e : f.engine.journey(f.journey)->events) {
    saw_rest_area |= e.kind == JourneyEventKind::kZoneEntered && e.detail == "REST-50";
    saw_opening |= e.kind == JourneyEventKind::kSealOpened;
  }
  EXPECT_TRUE(saw_rest_area);
  EXPECT_TRUE(saw_opening);
}

TEST(EngineDetectors, RouteDeviationWithDwellAndHysteresis) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 20);
  const std::int64_t left = t + 30;
  t = f.drive(left, 20, 30, 60, 30, 2500);  // 10 min, 2.5 km north of the road
  t = f.drive(t + 30, 30, 40);
  const auto dev = f.alarms(AlarmType::kRouteDeviation);
  ASSERT_EQ(dev.size(), 1u);
  // The jump to 2.5 km off in 30 s is implausible: the third agreeing fix is believed.
  EXPECT_NEAR(static_cast<double>(dev[0]->started_at), static_cast<double>(left), 60);
  EXPECT_GE(dev[0]->raised_at, left + 300);
  ASSERT_TRUE(dev[0]->cleared_at);
  EXPECT_EQ(dev[0]->grade, AlarmGrade::kWarning);
  ASSERT_GE(dev[0]->evidence.size(), 2u);
  EXPECT_TRUE(dev[0]->evidence[0].position);
  // A second, shorter excursion (4 min) is tolerated.
  t = f.drive(t + 30, 40, 44, 60, 30, 2500);
  f.drive(t + 30, 44, 50);
  EXPECT_EQ(f.alarms(AlarmType::kRouteDeviation).size(), 1u);
}

TEST(EngineDetectors, IllegalStayOutsideZonesOnly) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 30);
  t = f.stay(t + 30, at_km(30, 15), 15 * 60);  // 15 min: tolerated
  t = f.drive(t + 30, 30, 50);
  t = f.stay(t + 30, at_km(50, 40), 90 * 60);  // 90 min in the rest area (2 h allowed)
  t = f.drive(t + 30, 50, 70);
  const std::int64_t stop = t + 30;
  t = f.stay(stop, at_km(70, 15), 30 * 60);    // 30 min on the shoulder
  f.drive(t + 30, 70, 80);
  const auto stays = f.alarms(AlarmType::kIllegalStay);
  ASSERT_EQ(stays.size(), 1u);
  EXPECT_NEAR(static_cast<double>(stays[0]->started_at), static_cast<double>(stop), 60);
  EXPECT_TRUE(stays[0]->cleared_at);
  EXPECT_TRUE(f.alarms(AlarmType::kOvertimeStay).empty());
}

TEST(EngineDetectors, OvertimeStayInAuthorisedZone) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 50);
  const std::int64_t entered = t;
  t = f.stay(t + 30, at_km(50, 40), 150 * 60);
  f.drive(t + 30, 50, 60);
  const auto over = f.alarms(AlarmType::kOvertimeStay);
  ASSERT_EQ(over.size(), 1u);
  EXPECT_NEAR(static_cast<double>(over[0]->started_at), static_cast<double>(entered), 60);
  EXPECT_TRUE(over[0]->cleared_at);
  EXPECT_TRUE(f.alarms(AlarmType::kIllegalStay).empty());
}

TEST(EngineDetectors, IllegalOpeningUnlessInZoneOrAuthorised) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 30);
  f.engine.ingest(with_event(message("D1", t + 30, at_km(30)), Event::kLockOpened), t + 31);
  f.engine.ingest(with_event(message("D1", t + 60, at_km(30)), Event::kLockOpened), t + 61);  // same opening
  auto open = f.alarms(AlarmType::kIllegalOpening);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]->grade, AlarmGrade::kCritical);
  EXPECT_TRUE(f.engine.requires_red_channel(f.journey));
  f.engine.ingest(with_event(message("D1", t + 90, at_km(30)), Event::kLockClosed), t + 91);
  // An officer authorises an inspection opening on the way: no alarm.
  ASSERT_TRUE(f.engine.authorise_unseal(f.journey, "officer", t + 100, 1800));
  f.engine.ingest(with_event(message("D1", t + 200, at_km(30)), Event::kLockOpened), t + 201);
  f.engine.ingest(with_event(message("D1", t + 400, at_km(30)), Event::kLockClosed), t + 401);
  EXPECT_EQ(f.alarms(AlarmType::kIllegalOpening).size(), 1u);
  // After the authorisation expired, a cut cable is illegal again.
  auto m = message("D1", t + 4000, at_km(31));
  m.records[0].seal.cable_cut = true;
  f.engine.ingest(m, t + 4001);
  open = f.alarms(AlarmType::kIllegalOpening);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_NE(open[1]->detail.find("cable_cut"), std::string::npos);
  // Handling: false alarm on both -> no longer red.
  for (const Alarm* a : open) {
    ASSERT_TRUE(f.engine.handle_alarm(a->id, {AlarmHandling::Kind::kAcknowledge, "o", t + 5000}));
    ASSERT_TRUE(f.engine.handle_alarm(a->id, {AlarmHandling::Kind::kFalseAlarm, "o", t + 5100, "sensor wiring"}));
  }
  EXPECT_FALSE(f.engine.requires_red_channel(f.journey));
}

TEST(EngineDetectors, TamperingAndFault) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 10);
  f.engine.ingest(with_event(message("D1", t + 30, at_km(10)), Event::kBackCoverOpened), t + 31);
  f.engine.ingest(with_event(message("D1", t + 60, at_km(10)), Event::kBackCoverOpened), t + 61);
  f.engine.ingest(with_event(message("D1", t + 90, at_km(10)), Event::kDeviceFault), t + 91);
  ASSERT_EQ(f.alarms(AlarmType::kTampering).size(), 1u);
  EXPECT_EQ(f.alarms(AlarmType::kTampering)[0]->grade, AlarmGrade::kCritical);
  ASSERT_EQ(f.alarms(AlarmType::kDeviceFault).size(), 1u);
  EXPECT_EQ(f.alarms(AlarmType::kDeviceFault)[0]->grade, AlarmGrade::kWarning);
}

TEST(EngineDetectors, JourneyTimeoutOnTick) {
  Fixture f({}, 3 * 3600);
  f.engine.tick(kT0 + 3 * 3600 - 1);
  EXPECT_TRUE(f.alarms(AlarmType::kJourneyTimeout).empty());
  f.engine.tick(kT0 + 3 * 3600 + 5);
  f.engine.tick(kT0 + 4 * 3600);
  const auto timeout = f.alarms(AlarmType::kJourneyTimeout);
  ASSERT_EQ(timeout.size(), 1u);
  EXPECT_EQ(timeout[0]->started_at, kT0 + 3 * 3600);
}

TEST(EngineDetectors, LossOfCommunicationRaisedByTickAndClearedByContact) {
  Fixture f;
  const std::int64_t last = f.drive(kT0 + 60, 0, 10);
  f.engine.tick(last + 4 * 3600 - 10);
  EXPECT_TRUE(f.alarms(AlarmType::kLossOfCommunication).empty());
  f.engine.tick(last + 4 * 3600 + 30);
  f.engine.tick(last + 5 * 3600);
  auto lost = f.alarms(AlarmType::kLossOfCommunication);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_NEAR(static_cast<double>(lost[0]->started_at), static_cast<double>(last), 2);
  EXPECT_EQ(lost[0]->raised_at, last + 4 * 3600 + 30);
  f.send(last + 5 * 3600 + 60, at_km(80));
  EXPECT_TRUE(f.alarms(AlarmType::kLossOfCommunication)[0]->cleared_at);
}

// A sealing reported late (a reader synchronised hours later, a replayed world): the device's
// silence counts from when the server heard of the sealing, not from the sealing itself.
TEST(EngineDetectors, LossOfCommunicationCountsFromWhenALateSealingWasHeard) {
  SupervisionEngine engine;
  Device d;
  d.id = "D1";
  d.home_station = "VILNIUS";
  ASSERT_TRUE(engine.register_device(d, kT0 - 3600));
  JourneyPlan plan;
  plan.declaration.mrn = "26LT000000000001A1";
  plan.declaration.device_ids = {"D1"};
  plan.route = test_route();
  plan.time_limit_s = 24 * 3600;
  const auto journey = engine.open_journey(std::move(plan), "officer", kT0 - 600);
  ASSERT_TRUE(journey);
  const std::int64_t heard = kT0 + 9 * 3600;
  ASSERT_TRUE(engine.seal(*journey, "officer", kT0, heard));
  EXPECT_EQ(engine.journey(*journey)->sealed_at, kT0);
  engine.tick(heard + 60);
  engine.tick(heard + 4 * 3600 - 10);
  EXPECT_TRUE(engine.take_alarm_changes().empty());
  engine.tick(heard + 4 * 3600 + 10);
  const auto changes = engine.take_alarm_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(engine.alarm(changes[0])->type, AlarmType::kLossOfCommunication);
  EXPECT_EQ(engine.alarm(changes[0])->started_at, heard);
}

TEST(EngineDetectors, PassiveSealsAreNeverLost) {
  SupervisionEngine engine;
  Device d;
  d.id = "P1";
  d.type = DeviceType::kPassive;
  d.capabilities = default_capabilities(DeviceType::kPassive);
  ASSERT_TRUE(engine.register_device(d, kT0));
  JourneyPlan plan;
  plan.declaration.mrn = "M";
  plan.declaration.device_ids = {"P1"};
  plan.route = test_route();
  plan.time_limit_s = 86400;
  const JourneyId j = *engine.open_journey(plan, "o", kT0);
  ASSERT_TRUE(engine.seal(j, "o", kT0));
  engine.tick(kT0 + 10 * 3600);
  EXPECT_TRUE(engine.journey(j)->alarms.empty());
  EXPECT_FALSE(engine.queue_command("P1", {protocols::CommandType::kUnseal, 0}, "o", kT0));
}

TEST(EngineDetectors, LowBatteryNeedsTwoReadingsAndHysteresis) {
  Fixture f;
  std::int64_t t = kT0 + 60;
  auto battery = [&](double pct) {
    auto m = message("D1", t, at_km(0));
    m.records[0].sensors.battery_percent = pct;
    f.engine.ingest(m, t + 1);
    t += 60;
  };
  battery(20);
  battery(14);  // one sagging reading
  battery(16);
  EXPECT_TRUE(f.alarms(AlarmType::kLowBattery).empty());
  const std::int64_t first_low = t;
  battery(14);
  battery(13);
  ASSERT_EQ(f.alarms(AlarmType::kLowBattery).size(), 1u);
  EXPECT_EQ(f.alarms(AlarmType::kLowBattery)[0]->started_at, first_low);
  battery(18);  // not yet recovered
  battery(12);
  battery(11);
  EXPECT_EQ(f.alarms(AlarmType::kLowBattery).size(), 1u);
  battery(40);  // charged: cleared, and a new episode may follow
  EXPECT_TRUE(f.alarms(AlarmType::kLowBattery)[0]->cleared_at);
  EXPECT_DOUBLE_EQ(*f.engine.device("D1")->battery_percent, 40);
}

TEST(EngineDetectors, FuelDropWhileStationaryOnly) {
  CargoConditions cargo;
  cargo.tank_truck = true;
  cargo.fuel_drop_threshold = 5;
  Fixture f(cargo);
  std::int64_t t = kT0 + 60;
  auto send = [&](LatLon p, double fuel) {
    auto m = message("D1", t, p);
    m.records[0].sensors.fuel_level = fuel;
    f.engine.ingest(m, t + 1);
    t += 30;
  };
  // Sloshing while driving: big swings, not checked.
  for (double km = 0; km < 20; km += 0.6) send(at_km(km), 80 + ((static_cast<int>(km * 10) % 3) - 1) * 4);
  // Parked in the rest area: noise and one absurd reading, then a theft draining 20 in 10 min.
  for (int i = 0; i < 20; ++i) send(at_km(50, 20), i == 10 ? 40 : 80 + (i % 2) * 0.8);
  EXPECT_TRUE(f.alarms(AlarmType::kFuelDrop).empty());
  const std::int64_t theft = t;
  for (int i = 0; i < 20; ++i) send(at_km(50, 20), 80 - i);
  const auto fuel = f.alarms(AlarmType::kFuelDrop);
  ASSERT_EQ(fuel.size(), 1u);
  EXPECT_NEAR(static_cast<double>(fuel[0]->started_at), static_cast<double>(theft), 91);
  EXPECT_EQ(fuel[0]->grade, AlarmGrade::kCritical);
}

TEST(EngineDetectors, TemperatureAndHumidityNeedDwell) {
  CargoConditions cargo;
  cargo.temperature_c = Range{2, 8};
  cargo.humidity_percent = Range{30, 70};
  Fixture f(cargo);
  std::int64_t t = kT0 + 60;
  auto send = [&](double temp, double hum) {
    auto m = message("D1", t, at_km(0));
    m.records[0].sensors.temperature_c = temp;
    m.records[0].sensors.humidity_percent = hum;
    f.engine.ingest(m, t + 1);
    t += 60;
  };
  for (int i = 0; i < 5; ++i) send(5, 50);
  send(13, 90);  // one spike each
  for (int i = 0; i < 5; ++i) send(5, 50);
  for (int i = 0; i < 8; ++i) send(9, 50);  // 8 min warm: under the 10 min dwell
  for (int i = 0; i < 5; ++i) send(5, 50);
  EXPECT_TRUE(f.alarms().empty());
  const std::int64_t warm = t;
  for (int i = 0; i < 15; ++i) send(11, 75);
  const auto temp = f.alarms(AlarmType::kTemperature);
  ASSERT_EQ(temp.size(), 1u);
  EXPECT_EQ(temp[0]->started_at, warm);
  EXPECT_EQ(f.alarms(AlarmType::kHumidity).size(), 1u);
  send(7.8, 69);  // inside, but within the hysteresis band: not cleared
  EXPECT_FALSE(temp[0]->cleared_at);
  send(5, 50);
  EXPECT_TRUE(temp[0]->cleared_at);
}

// --- ordering, duplicates, clocks ------------------------------------------------------------

TEST(EngineOrdering, DuplicatesAndLateRecordsDoNotRetrigger) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 20);
  // A deviation of 10 min, then back.
  std::vector<protocols::DeviceMessage> excursion;
  for (int i = 0; i < 20; ++i) excursion.push_back(message("D1", t + 30 + i * 30, at_km(20 + i * 0.4, 3000)));
  for (const auto& m : excursion) f.send(m, *m.records[0].time + 1);
  ASSERT_EQ(f.alarms(AlarmType::kRouteDeviation).size(), 1u);
  // The network replays the excursion at once: the last 16 records are recognised as
  // duplicates, the 4 older ones are late. No second alarm.
  int late = 0, dup = 0;
  for (const auto& m : excursion) {
    const auto r = f.send(m, t + 700);
    late += r.late;
    dup += r.duplicates;
  }
  EXPECT_EQ(dup, 16);
  EXPECT_EQ(late, 4);
  t = f.drive(t + 630, 28, 40);
  EXPECT_TRUE(f.alarms(AlarmType::kRouteDeviation)[0]->cleared_at);
  // Replayed again much later: all late, still one alarm.
  late = 0;
  for (const auto& m : excursion) late += f.send(m, t + 100).late;
  EXPECT_EQ(late, 20);
  EXPECT_EQ(f.alarms(AlarmType::kRouteDeviation).size(), 1u);
  const auto& events = f.engine.journey(f.journey)->events;
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const JourneyEvent& e) { return e.kind == JourneyEventKind::kLateRecord; }), 24);
  // A late record carrying a cut cable still raises an alarm, once.
  auto cut = with_event(message("D1", t - 1000, at_km(35)), Event::kCableCut);
  f.send(cut, t + 200);
  cut.records[0].time = t - 990;
  f.send(cut, t + 210);
  EXPECT_EQ(f.alarms(AlarmType::kIllegalOpening).size(), 1u);
}

TEST(EngineOrdering, AbsurdDeviceClockUsesReceiveTime) {
  Fixture f;
  auto m = message("D1", 315532800, at_km(1));  // 1980-01-01: an unset clock
  const auto r = f.send(m, kT0 + 100);
  EXPECT_EQ(r.clock_replaced, 1);
  EXPECT_EQ(r.processed, 1);
  m = message("D1", kT0 + 10 * 86400, at_km(2));  // ten days ahead
  EXPECT_EQ(f.send(m, kT0 + 200).clock_replaced, 1);
  EXPECT_EQ(*f.engine.journey(f.journey)->last_position_time, kT0 + 200);
  protocols::DeviceMessage unknown = message("NOBODY", kT0, at_km(0));
  EXPECT_EQ(f.engine.ingest(unknown, kT0).status, IngestResult::Status::kUnknownDevice);
}

// --- commands --------------------------------------------------------------------------------

TEST(EngineCommands, QueuedWhileOfflineDeliveredAndConfirmed) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 129.9);
  auto interval = f.engine.queue_command("D1", {protocols::CommandType::kReportingInterval, 2}, "officer", t);
  ASSERT_FALSE(interval);  // below 5 s
  const auto unseal = f.engine.queue_command("D1", {protocols::CommandType::kUnseal, 0}, "officer", t + 10);
  ASSERT_TRUE(unseal);
  EXPECT_EQ(f.engine.command(*unseal)->state, CommandState::kQueued);
  // The device calls in: the engine says commands wait.
  const auto r = f.send(t + 60, at_km(130));
  EXPECT_TRUE(r.commands_waiting);
  auto to_send = f.engine.take_commands_to_send("D1", t + 61);
  ASSERT_EQ(to_send.size(), 1u);
  EXPECT_EQ(to_send[0].command.type, protocols::CommandType::kUnseal);
  EXPECT_EQ(f.engine.command(*unseal)->state, CommandState::kSent);
  EXPECT_TRUE(f.engine.take_commands_to_send("D1", t + 62).empty());
  // The device acknowledges, then reports the remote unlock (authorised: no alarm).
  protocols::DeviceMessage ack;
  ack.device_id = "D1";
  ack.kind = protocols::MessageKind::kCommandAck;
  ack.command_response = "RC-Unlock OK";
  f.engine.ingest(ack, t + 70);
  EXPECT_EQ(f.engine.command(*unseal)->state, CommandState::kConfirmed);
  EXPECT_EQ(f.engine.command(*unseal)->response, "RC-Unlock OK");
  f.engine.ingest(with_event(message("D1", t + 80, at_km(129)), Event::kRemoteUnlock), t + 81);
  EXPECT_TRUE(f.alarms(AlarmType::kIllegalOpening).empty());
  const auto seal = f.engine.queue_command("D1", {protocols::CommandType::kSeal, 0}, "officer", t + 90);
  ASSERT_TRUE(seal);
  ASSERT_TRUE(f.engine.fail_command(*seal, t + 95, "connection closed"));
  EXPECT_FALSE(f.engine.confirm_command(*seal, t + 96));
}

TEST(EngineAlarms, ChangesAreReportedOnce) {
  Fixture f;
  std::int64_t t = f.drive(kT0 + 60, 0, 10);
  f.engine.ingest(with_event(message("D1", t + 30, at_km(10)), Event::kBodyTampered), t + 31);
  auto changes = f.engine.take_alarm_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(f.engine.take_alarm_changes().empty());
  const AlarmId id = changes[0];
  auto bad = f.engine.handle_alarm(id, {AlarmHandling::Kind::kDispatch, "o", t + 40, {}, "P1"});
  ASSERT_FALSE(bad);
  ASSERT_TRUE(f.engine.handle_alarm(id, {AlarmHandling::Kind::kAcknowledge, "o", t + 40}));
  ASSERT_TRUE(f.engine.handle_alarm(id, {AlarmHandling::Kind::kDispatch, "o", t + 50, {}, "P1"}));
  ASSERT_TRUE(f.engine.handle_alarm(id, {AlarmHandling::Kind::kPhoto, "p1", t + 60, "body cracked", {}, {}, "photo://1"}));
  ASSERT_TRUE(f.engine.handle_alarm(id, {AlarmHandling::Kind::kResolve, "p1", t + 70, "goods intact", {}, Outcome::kIrregularityConfirmed}));
  EXPECT_EQ(f.engine.take_alarm_changes(), (std::vector<AlarmId>{id}));
  EXPECT_EQ(f.engine.alarm(id)->history.size(), 4u);
  EXPECT_EQ(f.engine.journey_grade(f.journey), JourneyGrade::kCritical);
  EXPECT_FALSE(f.engine.handle_alarm(999, {AlarmHandling::Kind::kAcknowledge, "o", t}));
}

}  // namespace
}  // namespace cordon::supervision
