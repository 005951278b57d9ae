# id: RTE-0001
# title: Routed through a high-risk transit country
# risk_area: security_safety
# weight: 3
# channel: red
routing.countries.exists(c, c in ["IR", "SY", "KP", "RU", "BY", "AF", "MM", "VE", "LY", "YE", "CU"])
