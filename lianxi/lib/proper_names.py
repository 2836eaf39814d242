"""Proper names as the source prints them in traditional characters.

繁體 mode converts whole pages with OpenCC, character by character; for a name that is wrong: the
traditional edition of the seed article prints 杲云, 徐樹杰, 創新里灘, not OpenCC's 杲雲, 徐樹傑,
創新裏灘. Names listed here are shown in the printed form instead of being converted (see
:func:`lianxi.lib.text.to_traditional`). Each pair is simplified → traditional exactly as printed in
the traditional edition of the 2024-06-24 report (people, organisations, conferences, projects and
places it names); add a pair when another source prints another name."""

TRADITIONAL_AS_PRINTED = {
    # people
    "杲云": "杲云",
    "徐树杰": "徐樹杰",
    "周志军": "周志軍",
    "沈军": "沈軍",
    "韩志强": "韓志強",
    "吴建雄": "吳建雄",
    "江帆": "江帆",
    "秦文波": "秦文波",
    "李铭": "李銘",
    "沈山州": "沈山州",
    "韩顺芳": "韓順芳",
    "陈志奇": "陳志奇",
    "李忠兴": "李忠興",
    "郑莹莹": "鄭瑩瑩",
    # organisations and places
    "黄浦区": "黃浦區",
    "淮海中路街道": "淮海中路街道",
    "五里桥街道": "五里橋街道",
    "上海交通大学医学院": "上海交通大學醫學院",
    "上海科学院": "上海科學院",
    "上海数据集团": "上海數據集團",
    "城银清算服务有限责任公司": "城銀清算服務有限責任公司",
    "东浩兰生(集团)有限公司": "東浩蘭生(集團)有限公司",
    "东浩兰生（集团）有限公司": "東浩蘭生（集團）有限公司",  # as recorded from the repaired report
    "海通证券股份有限公司": "海通證券股份有限公司",
    "上海社会科学院": "上海社會科學院",
    "中新网": "中新網",
    # conferences
    "滨江党建·创新里滩": "濱江黨建·創新里灘",
    "创新里滩": "創新里灘",
    "滨江党建·金融外滩": "濱江黨建·金融外灘",
    "文化思南": "文化思南",
    "中央科创区": "中央科創區",
    # projects
    "科创街区·创享里滩": "科創街區·創享里灘",
    "创享里滩": "創享里灘",
    "淞畔领里·璟彩启航": "淞畔領里·璟彩啟航",
    "淞畔领里": "淞畔領里",
    "南风为民·圆梦安居": "南風為民·圓夢安居",
    "绿色信用·活力淮海": "綠色信用·活力淮海",
    "思南读书会": "思南讀書會",
    "南外滩金融直通车": "南外灘金融直通車",
    "律聚初心地": "律聚初心地",
    "兴业讲堂": "興業講堂",
    "走读外滩·阅读建筑": "走讀外灘·閱讀建筑",
    "院士专家黄浦行": "院士專家黃浦行",
    "央企看黄浦": "央企看黃浦",
    "红色家园话初心": "紅色家園話初心",
    "“豫”见温度": "“豫”見溫度",
    "南外滩金融中心建设者之家": "南外灘金融中心建設者之家",
    "“艺街汇”——演艺大世界文化惠民服务包": "“藝街匯”——演藝大世界文化惠民服務包",
    "‘宜居生活·社区更新设计’": "‘宜居生活·社區更新設計’",
    "长三角‘C9第一方阵’红色文化会客厅": "長三角‘C9第一方陣’紅色文化會客廳",
    "区域化党建干部人才‘双向交流’锻炼": "區域化黨建干部人才‘雙向交流’鍛煉",
    "‘心路’党课": "‘心路’黨課",
    "‘医’心志愿白领健康加油站": "‘醫’心志愿白領健康加油站",
}
