# id: WL-0001
# title: Strong watch-list hit on a party, vehicle or container
# risk_area: sanctions
# weight: 5
# channel: red
hits.exists(h, h.score >= 0.85)
