# id: HSM-0001
# title: Value per kg out of line with the declared subheading (a code of another product)
# risk_area: fiscal
# weight: 2
# channel: red
goods.exists(g, g.value_per_kg_ratio > 4 || g.value_per_kg_ratio < 0.25)
