# id: UND-0001
# title: Goods declared far below the usual price for their HS subheading and origin
# risk_area: fiscal
# weight: 4
# channel: red
goods.exists(g, g.value_per_kg_ratio < 0.4)
