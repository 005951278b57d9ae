# id: WL-0002
# title: Weaker watch-list hit: documentary check
# risk_area: sanctions
# weight: 1
# channel: yellow
hits.exists(h, h.score >= 0.7 && h.score < 0.85)
