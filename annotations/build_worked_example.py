#!/usr/bin/env python
"""Build claimmap's worked example: the five seed articles, annotated for real.

Re-runnable from scratch (``--fresh``) whenever cleaning or anchoring changes:

    python annotations/build_worked_example.py --db /tmp/worked.db --fresh

What it does, all through claimmap's own services (the same code the CLI calls):

1. import ``seeds/`` and add the ``evidence`` code (key ``e``) to the codebook;
2. highlight and tag every span listed in ``SPANS`` (quotes copied from
   ``claimmap show REF``; each must anchor *exactly* on the canonical text);
3. run the linker at its default threshold, then review every suggestion the
   way the analyst did: a suggestion is confirmed when both spans belong to the
   same claim in ``CLAIMS`` and rejected otherwise;
4. join the same-claim spans the linker missed (``merge_claims``, i.e.
   ``claimmap claims merge``) and label every shared claim;
5. state how claims bear on each other: every relation in ``RELATIONS``
   (``claimmap relations add``), each with a note saying why.

The review decisions are data (``CLAIMS``), so a re-run reproduces them exactly.
Exit status is non-zero if any quote fails to anchor exactly.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from claimmap.errors import ClaimmapError
from claimmap.services.annotating import annotate_quote
from claimmap.services.claims import claim_of, label_claim, list_claims
from claimmap.services.codebook import add_tag, list_tags
from claimmap.services.importing import import_paths
from claimmap.services.linking import list_links, merge_claims, run_linker, set_links_status
from claimmap.services.relations import add_relation
from claimmap.store import open_db
from claimmap.store.articles import article_text, resolve_article

ANNOTATOR = "worked-example"
WIDE_THRESHOLD = 25.0

ARTICLES = {
    "A0": "000_9f00d43fca9a4a2d",  # US-Japan AI cooperation (Shanghai Japan centre brief), simplified
    "A1": "001_222e73f4153aafe6",  # US-Japan AI cooperation: status, limits, impact (Gao & Xu), traditional
    "A2": "002_cc906c2064ccaefc",  # US-EU AI cooperation under the TTC, alliance resilience (Du & Li), simplified
    "A3": "003_9521e7cee6721ccd",  # China-Japan-Korea AI industry cooperation (Sun Xiaotao), traditional
    "A4": "004_9f477515f64b012c",  # Japan's AI in 2024 (Jiang Tianjiao, Fudan report ch. 6), simplified
}

M, L, I, R, E = "motive", "limitation", "impact", "recommendation", "evidence"  # noqa: E741 (tag initials)

# (key, article, tags, quote, note, occurrence)
SPANS: list[tuple[str, str, tuple[str, ...], str, str | None, int | None]] = [
    # ------------------------------------------------------------------ A0
    ("a0_frontier", "A0", (M,), "数字技术的发展让人工智能等技术成为大国竞争的新疆域。", None, None),
    ("a0_thesis", "A0", (M,), "美日两国的人工智能合作强调在“共同价值观”下进行,带有明显的对华竞争色彩,旨在遏制中国人工智能技术发展,维持美日在这一领域的优势地位。",
     "Thesis: the cooperation is framed by shared values but aims to contain China's AI.", None),
    ("a0_prepare", "A0", (R,), "在大国竞争烈度加剧的当下,需要密切关注两国人工智能合作状况,就其可能产生的涉华影响做好准备。", None, None),
    ("a0_core", "A0", (E,), "2021年4月,菅义伟与拜登会晤过后的联合声明宣布构建“美日竞争力与韧性伙伴关系”,以深化人工智能等领域的研究和技术开发合作,共同提高两国的竞争力。", None, None),
    ("a0_drone", "A0", (E,), "2023年12月,美国国防部与日本防卫省签署协议,共同进行关于AI技术的研究,运用于开发无人机,与日本拟在2035年部署的下一代战斗机相配套。", None, None),
    ("a0_summit2024", "A0", (E,), "2024年4月,日本首相岸田文雄和美国总统拜登在首脑会谈之后的联合声明中宣布两国要在人工智能领域建立共同研究伙伴关系,以帮助两国成为这一领域的“全球领导者”。", None, None),
    ("a0_aipd", "A0", (E,), "2020年9月,美国国防部联合日本、澳大利亚、加拿大、法国、英国等12个国家启动“人工智能国防伙伴关系”计划", None, None),
    ("a0_nscai", "A0", (E,), "2021年3月,美国国家人工智能安全委员会发布报告,提议在美日澳印“四方安全对话”(QUAD)框架下谈判与人工智能相关的防务与情报合作协议", None, None),
    ("a0_hiroshima", "A0", (E,), "2023年10月,作为主办方的日本协调各国于广岛G7峰会期间发布《广岛进程组织开发先进人工智能系统的国际指导方针》和《广岛进程组织开发先进人工智能系统的国际行为规范》等文件", None, None),
    ("a0_friends", "A0", (E,), "2024年5月,时任日本首相岸田文雄在OECD部长级理事会会议上宣布成立“广岛AI进程伙伴小组”,推动以“广岛AI进程”为基础的全球人工智能治理模式。", None, None),
    ("a0_amazon", "A0", (E,), "2024年1月,美国亚马逊公司宣布未来五年对日投资约2.3万亿日元,用于扩建数据中心,应对生成式人工智能普及带来的数据处理量增长。", None, None),
    ("a0_ms", "A0", (E,), "三个月后,美国微软也宣布在未来两年内将向日本投资29亿美元以加强人工智能和云基础设施。", None, None),
    ("a0_openai", "A0", (E,), "2024年4月15日,人工智能独角兽企业美国OpenAI公司宣布在东京开设OpenAI 日本公司,作为其首个亚洲据点开展业务活动。", None, None),
    ("a0_nvidia_sb", "A0", (E,), "同年11月13日,美国半导体巨头英伟达也和软银宣布建立全面合作伙伴关系,在日本建设人工智能基础设施。", None, None),
    ("a0_univ", "A0", (E,), "就包括英伟达、亚马逊、ARM、软银集团、微软等美国、日本企业向美国华盛顿大学和卡内基梅隆大学、日本筑波大学与庆应义塾大学4所高校提供总计1.1亿美元的投资支持", None, None),
    ("a0_nss", "A0", (E,), "2022年《美国国家安全战略报告》首次将中国明确定义为“优先考虑的,唯一的全球头号竞争对手。”", None, None),
    ("a0_whitepaper", "A0", (E,), "同样,日本在2024年《防卫白皮书》中将中国定位为“前所未有的最大战略挑战”。", None, None),
    ("a0_japan_fear", "A0", (M,), "面对中国在科技上的崛起,日本担心自己陷入技术困境,急迫与其他科技大国合力制衡中国,以图在国际科技竞争中抢占领先位置,故而将盟友美国当成不二之选。",
     "Japan's own motive: fear of falling behind a rising China.", None),
    ("a0_contain", "A0", (M,), "因此,美日人工智能合作带有明确的对华遏制指向,其背景大多以遏制中国为目标展开。", None, None),
    ("a0_pulled", "A0", (M,), "作为美国传统盟友,日本被拉入到对华竞争框架中,参与对华战略竞争。", None, None),
    ("a0_export2022", "A0", (E,), "2022年,美国商务部出台《对向中国出口的先进计算和半导体制造物项实施新的出口管制》,禁止将使用美国设备和先进芯片设备出口给中国", None, None),
    ("a0_bridge", "A0", (M,), "在中美战略竞争背景下,日本作为连接美国与亚太地区的桥梁而将发挥重要作用。", "Attributed to US think tanks (CSIS, CFR).", None),
    ("a0_nl_japan", "A0", (E,), "比如2024年6月,美国就要求荷兰、日本进一步限制向中国提供芯片制造设备。", None, None),
    ("a0_unequal", "A0", (L,), "美日事实上的不平等地位让美日的人工智能合作服务于美国的对华竞争战略。", "Asymmetric alliance: 'the US leads, Japan follows'.", None),
    ("a0_exclusive", "A0", (I,), "反映出美日有意排除以中国为代表的发展中国家,旨在谋求掌握排他性科技优势,成为人工智能领域的全球领导者。", None, None),
    ("a0_diffusion", "A0", (E,), "2025年1月13日,美国公布新的人工智能出口管制措施,通过三个等级、六个关键机制、三项限制举措等来“确保”全球人工智能产业在美国的“轨道”上运行。", None, None),
    ("a0_tiers", "A0", (E,), "新限令将全球国家和地区划分为三个等级,日本等美国的盟友处于第一等级,中国则被分为第三等级的“受限制国家”,在人工智能关键芯片出口、人工智能模型运用等方面受到限制。", None, None),
    ("a0_coldwar", "A0", (I,), "此外,美日两国的人工智能合作带有零和博弈思维,泛安全化的叙事有可能在全球范围内引起技术冷战的风险,需要进一步关注。", None, None),
    # ------------------------------------------------------------------ A1
    ("a1_limits", "A1", (L,), "由于美日兩國存有技術資源鴻溝、威脅感知差異以及全球治理目標差距,其人工智能合作也存在局限。",
     "The paper's three limits: technology-resource gap, threat-perception gap, governance-goal gap.", None),
    ("a1_focus", "A1", (M,), "作為第四次工業革命的重要成果,人工智能,特別是以ChatGPT為代表的生成式人工智能,憑借其廣闊的技術應用前景和快速迭代的技術發展潛力,成為當前大國博弈的焦點。", None, None),
    ("a1_summit0416", "A1", (E,), "2021年4月16日,美日兩國舉行拜登上臺后的第一次領導人峰會,雙方在會后聲明中提出,“將通過深化在生命科學、生物技術、人工智能、量子信息和民用航天等領域的研究與技術開發合作,提高兩國各自和共同的競爭力”。", None, None),
    ("a1_core", "A1", (E,), "2021年4月,兩國領導人宣布成立美日“競爭力與韌性伙伴關系”,強調將在“開放民主”原則下,共同領導可持續、綠色的全球增長,并加強兩國在人工智能、量子信息等領域的研發合作。", None, None),
    ("a1_drone", "A1", (E,), "同年12月,美日兩國簽署關于“聯合研究應用于無人機的人工智能技術”項目協議,宣布將共同進行人工智能技術研發,并將其應用于與日本下一代戰斗機協同作戰的無人機上。", None, None),
    ("a1_export2022", "A1", (E,), "2022年10月,美國以遏制中國人工智能和超算能力發展為由,宣布限制美國以及使用受美國管控技術的國家對華出口尖端人工智能芯片和先進半導體制造設備", None, None),
    ("a1_japan_follow", "A1", (E,), "2023年3月,日本追隨美國,宣布對生產高性能芯片的制造設備和技術實行對華出口限制", None, None),
    ("a1_hiroshima", "A1", (E,), "2023年10月,七國集團領導人就“廣島進程”發表聯合宣言,提出與“多利益攸關方”合作,開發部署“安全、可靠和值得信賴的”人工智能,推動人工智能“包容性”治理。", None, None),
    ("a1_friends", "A1", (E,), "2024年5月,日本宣布成立“廣島人工智能進程伙伴小組”,旨在推進實施“國際行為準則”", None, None),
    ("a1_un", "A1", (E,), "2024年3月,聯合國大會通過了由美日等國提出的人工智能治理決議,旨在推動國際社會接納“安全、可靠和值得信賴的”人工智能,以促進可持續發展。", None, None),
    ("a1_amazon", "A1", (E,), "2024年1月,亞馬遜宣布,計劃至2027年向東京和大阪的云基礎設施投資2.26萬億日元,以應對生成式人工智能普及帶來的云服務需求激增問題。", None, None),
    ("a1_ms_oracle", "A1", (E,), "2024年4月,微軟、甲骨文等科技巨頭也宣布擴大投資,拓展在日人工智能和云計算基礎設施。", None, None),
    ("a1_univ", "A1", (E,), "2024年4月,卡內基梅隆大學與慶應義塾大學,華盛頓大學與筑波大學分別締結合作。該合作得到了英偉達、亞馬遜、微軟、軟銀等科技巨頭1.1億美元的資金支持", None, None),
    ("a1_military", "A1", (M,), "從軍事層面看,美日兩國通過人工智能合作,可以強化雙方的軍事互操作性,推動美日軍事合作一體化和對等化,實現地區層面防務力量的優勢互補。", None, None),
    ("a1_catchup", "A1", (M,), "另一方面,引入美國技術有助于日本實現人工智能的技術趕超,改變其在本輪技術競賽中的落后局面。", None, None),
    ("a1_softlaw", "A1", (M,), "在治理模式上,雙方都采用“軟法”治理和行業自律相結合的形式", None, None),
    ("a1_subaxis", "A1", (M,), "同時,美國需要日本這一印太安全格局中的“次軸心”來連接、補充和協調美國與印太地區盟友、伙伴間的關系。", None, None),
    ("a1_threat", "A1", (M,), "當前,美日兩國都從戰略層面上將中國視為“最大的威脅”,需要通過與盟友和“志同道合”的伙伴合作來共同應對。", None, None),
    ("a1_nosingle", "A1", (M,), "但知識、人才、數據等技術因素的高度流動性使得任何經濟體,即便是作為霸權國的美國,也無法單獨控制人工智能的全產業鏈,因而與“志同道合”的伙伴合作成為各國的不二選擇。",
     "Motive from the nature of AI as a general-purpose technology.", None),
    ("a1_stanford", "A1", (E, L), "根據斯坦福大學對36個國家人工智能相關指標的排名,2023年日本僅排名第九,較2022年下降了四名,得分為18.37,是第一名美國得分的不到三分之一。", None, None),
    ("a1_talent", "A1", (L,), "其一,日本短期內難以填補高技術人力資源的缺口。", None, None),
    ("a1_meti", "A1", (E,), "日本經濟產業省早在2019年便預測,至2025年和2030年,日本的人工智能人才缺口將分別達到8.8萬和12.4萬人。", None, None),
    ("a1_slow", "A1", (L,), "其二,日本企業引入人工智能進展緩慢。", None, None),
    ("a1_dependence", "A1", (I,), "同時,美日合作或將使日本本就孱弱的人工智能市場和本土初創企業受到沖擊,從而加大日本對于美國技術的依賴,削弱日本的技術自主性,而這與日本經濟安全保障的目標背道而馳。", None, None),
    ("a1_nss", "A1", (E,), "對美國而言,中國是“唯一一個既有意重塑國際秩序,又擁有日益強大的經濟、外交、軍事和技術實力能實現這一目標的競爭對手”。", None, None),
    ("a1_smallyard", "A1", (L,), "這種強烈的威脅感知促使美國遵從“小院高墻”的戰略邏輯", None, None),
    ("a1_weakthreat", "A1", (L,), "相較而言,日本在體系層面感知到的“中國威脅”偏弱,其威脅感知的直接來源是中國的軍事智能化。", None, None),
    ("a1_complement", "A1", (L,), "中日兩國在人工智能領域具有高度的技術互補性,中國在應用開發、大模型構建等軟件研發領域具有較強的競爭力,而日本在機器人、精密電子元件等硬件制造領域領跑全球,兩國可以整合各自比較優勢,共同提升技術競爭力。",
     "Why Japan may see China as a partner, which limits US-Japan alignment.", None),
    ("a1_lukewarm", "A1", (L,), "具體到“廣島進程”上,與日本的積極推廣相比,美國在宣傳上顯然更為冷淡。", None, None),
    ("a1_eo", "A1", (E,), "這就決定了美國會將推廣的重心放在與“廣島進程”同天發布,并在原則關切上與其高度一致的《關于安全、可靠、值得信賴地開發和使用人工智能的行政命令》上。", None, None),
    ("a1_bletchley", "A1", (E,), "主要國際行為體在人工智能需要監管和治理這一問題上達成了共識,形成了諸如《布萊切特宣言》《人工智能倫理問題建議書》等多邊治理成果。", None, None),
    ("a1_nonbinding", "A1", (L,), "同時,“廣島進程”作為自愿遵守的行為準則,缺乏法律約束力,對于人工智能應用率低、立法監管能力弱的發展中國家而言作用甚微", None, None),
    ("a1_divide", "A1", (I,), "美日人工智能合作將在一定程度上阻止算法、算力和高技術人才流向發展中國家,擴大發達國家與發展中國家間本已巨大的“數字鴻溝”", None, None),
    ("a1_basis", "A1", (M,), "美日人工智能合作在中美戰略競爭的背景下展開,以“中國威脅”為基礎。", None, None),
    ("a1_democ", "A1", (I,), "作為美國構建所謂“民主科技聯盟”,對華開展科技競爭的重要手段,美日人工智能合作必將導致大國戰略競爭的進一步加劇。", None, None),
    ("a1_twosystems", "A1", (I,), "長此以往,國際上將出現兩套彼此平行的人工智能治理體系與技術標準體系,從而加大國際社會陷入“新冷戰”的風險。", None, None),
    ("a1_japanmil", "A1", (I,), "在美國的扶持下,日本積極提升自主武器系統研發能力,大力推動人工智能軍事化。", None, None),
    ("a1_trump", "A1", (I,), "同時,特朗普或將進一步利用芯片封鎖、司法調查、輿論造勢等手段,以更為嚴厲的態勢遏制中國人工智能發展", None, None),
    ("a1_stargate", "A1", (E,), "2025年1月22日,特朗普宣布OpenAI、軟銀集團和甲骨文將成立名為“星際之門”的合資公司,計劃在未來四年投資5000億美元以完善人工智能基礎設施。", None, None),
    ("a1_transactional", "A1", (L,), "但特朗普政府“交易主義”的外交政策和石破茂政府對戰略自主與同盟對等的追求將加劇兩國人工智能合作的潛在沖突,雙方合作恐無法達到拜登政府時期較為順暢的程度。", None, None),
    ("a1_rec_resolve", "A1", (R,), "一是保持戰略定力,發揮新型舉國體制優勢,在努力突破關鍵技術瓶頸和美日技術封鎖的同時,繼續探索算法優化加開源共享的創新路徑", None, None),
    ("a1_rec_dialogue", "A1", (R,), "積極與日本政府和產業界開展對話,促進兩國人工智能領域的技術和人員交流", "Exploit Ishiba's pursuit of strategic autonomy to engage Japan.", None),
    ("a1_rec_governance", "A1", (R,), "三是充分利用現有國際制度,推動《人工智能全球治理上海宣言》《全球人工智能治理倡議》落到實處", None, None),
    # ------------------------------------------------------------------ A2
    ("a2_un", "A2", (E,), "2024年3月,联合国大会以协商一致的方式通过了由美国主导的关于“抓住安全、可靠和值得信赖的人工智能系统带来的机遇,促进可持续发展”的决议,这是大会达成的首个人工智能独立决议", None, None),
    ("a2_bletchley", "A2", (E,), "早在2023年11月,在英国举行的首届人工智能安全峰会上发布的《布莱奇利宣言》(The Bletchley Declaration)指出,人工智能的许多风险本质上是国际性的,因此“需要通过国际合作予以解决”。", None, None),
    ("a2_publicgood", "A2", (E,), "2023年1月,美国宣布与欧盟签署《人工智能促进公共利益行政协议》,双方就合作开发、应用人工智能技术等事宜达成共识。", None, None),
    ("a2_democ", "A2", (M,), "2021年拜登政府上台以来,便将组建“民主科技联盟”作为应对大国战略竞争与强化伙伴关系的基本方针。", None, None),
    ("a2_smallyard", "A2", (M,), "在技术应用与技术标准等方面强化“规则制衡”与“小院高墙”,确保西方国家掌握新兴技术,以捍卫技术领导权。", None, None),
    ("a2_ttc", "A2", (E,), "2021年6月15日,在布鲁塞尔举行的欧盟—美国峰会期间,拜登与冯德莱恩共同宣布成立TTC。", "The US-EU Trade and Technology Council, the paper's main case.", None),
    ("a2_aiact", "A2", (E,), "2024年3月,全球第一部全面的人工智能法律——《人工智能法》(AI Act)得到欧洲议会批准", None, None),
    ("a2_complement", "A2", (M,), "由此可见,美欧在人工智能领域的不同特点让二者可以优势互补,双方通过合作的方式增强联盟韧性以实现维系、协同与预防效应。", None, None),
    ("a2_motives", "A2", (M,), "美欧在人工智能领域开展合作主要有四个方面的动因:一是对人工智能技术在地缘政治和军事领域应用的长远考虑;二是通过合作增强各自人工智能领域实力与总体优势,从而构建新的国际技术秩序;三是巩固双方传统联盟与伙伴关系;四是在中美战略竞争背景下加强对华政策协调。",
     "The paper's four motives: geopolitics/military, technology order, alliance repair, China policy.", None),
    ("a2_openai_mil", "A2", (E,), "2024年1月,美国人工智能龙头公司 OpenAI 修改了有关将其人工智能技术运用于军事领域的禁令,此举默许了美国军方对该技术的使用。", None, None),
    ("a2_airstrikes", "A2", (E,), "2024年2月,美国国防部承认在对伊拉克、叙利亚的85次空袭行动中使用了目标识别算法,这是美军首次承认在实战中使用军用人工智能技术。", None, None),
    ("a2_order", "A2", (M,), "美欧力图维护并强化西方阵营在全球技术方面的领导地位和话语权,就构建新的国际技术秩序展开合作。", None, None),
    ("a2_china", "A2", (M,), "最后,在中美战略竞争背景下,美欧在人工智能领域的合作成为双方防范所谓“中国威胁”与竞争的组成部分。", None, None),
    ("a2_nscai_values", "A2", (E,), "2021年3月,美国国家人工智能安全委员会(NSCAI)的报告将中美之间的人工智能竞赛定义为基于价值观的竞争,而中国则被视为直接竞争者。", None, None),
    ("a2_aipd", "A2", (E,), "2020年9月,美国启动人工智能防务伙伴关系(AI Partnership for Defense)以积极推动国防合作。", None, None),
    ("a2_aipd_jaic", "A2", (E,), "2020年,美国国防部联合人工智能中心(JAIC)宣布启动一个发展美欧军事人工智能合作小组——人工智能防务合作伙伴关系。", None, None),
    ("a2_nodatashare", "A2", (E,), "因此,此次联合建模并不共享训练数据集,既建立联合模型,又同时让数据留在原处,即美国数据留在美国,欧洲数据留在欧洲,从而避免在合作的过程中因数据共享导致的隐私泄露。",
     "Joint modelling without sharing training data (Jan 2023 administrative arrangement).", None),
    ("a2_eo", "A2", (E,), "2023年10月,拜登签署了《关于安全、可靠和可信人工智能开发和使用的行政命令》,试图在行政部门的权力范围内对人工智能进行监管。", None, None),
    ("a2_hiroshima_lead", "A2", (E,), "拜登政府的多个行政命令和在G7广岛人工智能进程中的领导作用,体现了美国对人工智能监管的高度重视。", None, None),
    ("a2_roadmap", "A2", (E,), "2022年12月,TTC召开了第三次会议,发布《可信人工智能和风险管理的评估及测量工具联合路线图》(以下简称“《路线图》”)", None, None),
    ("a2_earlywarning", "A2", (E,), "第一,美欧已建立半导体供应链中断的联合预警机制,以识别和应对供应链中断风险。", None, None),
    ("a2_code", "A2", (E,), "其中,《准则》制定了一套供企业采用的方案,即在任何国家立法之前,为开发人工智能系统的公司制定一套非约束性国际标准,以弥合不同司法管辖区之间的差距。",
     "The G7 AI code of conduct.", None),
    ("a2_nscai_rec", "A2", (E,), "例如,美国国家人工智能安全委员会建议国务院和国防部应与澳大利亚、印度、日本、新西兰、韩国和越南签订正式的人工智能合作协议。", None, None),
    ("a2_trumplegacy", "A2", (L,), "首先,特朗普任内孤立主义与“退出”主义的“政治遗产”加深了跨大西洋隔阂,拜登政府修复并重振美欧协同伙伴关系步履维艰。", None, None),
    ("a2_autonomy", "A2", (L,), "其次,欧洲追求战略自主的历史传统在新科技革命时代表现为对数字主权与技术主权的捍卫,这将影响甚至阻碍美欧在 TTC 框架内的人工智能协同合作。", None, None),
    ("a2_chinagap", "A2", (L,), "再次,美欧对中国及其科技产业崛起的认知差异引发了双方的战略争辩,削弱了美欧联盟防范“中国威胁”的效用", None, None),
    ("a2_reggap", "A2", (L,), "欧盟更关注制定规则为人工智能设定“护栏”;美国则认为过度监管会影响技术创新", None, None),
    ("a2_poll", "A2", (E,), "根据对 26 个国家的民调显示,61% 的受访者表示反对致命的自主武器系统。", None, None),
    ("a2_prospects", "A2", (I,), "展望未来,美欧将继续在人工智能监管与风险处理、以尊重人权为由加强技术联盟、强化人工智能军事化应用三个方面展开深度合作。", None, None),
    ("a2_nato_balance", "A2", (R,), "换句话说,北约及其军队需要在保持技术能力和听取公民意见之间取得平衡。", None, None),
    ("a2_aicore", "A2", (M,), "当前,以人工智能为代表的技术竞争已然是地缘政治竞争的重要组成部分,人工智能已成为大国竞争的核心要素,将影响全球权力平衡、国家战略制定以及更广泛的地缘与技术政治。", None, None),
    ("a2_controls", "A2", (I,), "根据联盟韧性逻辑,美国反而强化了与欧盟的合作,共同对华设置投资出口管制,并可能限制中国获取美国开发的闭源人工智能模型。", None, None),
    ("a2_south", "A2", (I,), "有鉴于此,对全球南方的争夺也会成为美欧人工智能合作的重点领域。", None, None),
    ("a2_nobigtech", "A2", (L,), "尽管欧洲在数字技术领域处于全球领先地位,但其人工智能领域的劣势在于缺乏具有全球影响力与竞争力的数字科技公司", None, None),
    ("a2_subordinate", "A2", (I,), "总体而言,欧盟更可能在美欧技术关系中处于附属地位。", None, None),
    # ------------------------------------------------------------------ A3
    ("a3_significance", "A3", (M,), "中日韓人工智能產業合作意義重大,可以提升以中日韓為核心的東亞生產網絡國際競爭力,更好維護有利于三國發展的全球化環境,豐富三國經貿合作場景,更有利于政治互信和民心相通。", None, None),
    ("a3_obstacles", "A3", (L,), "但同時,中日韓人工智能產業合作還面臨美國干擾、日韓對合作心存忌憚,人工智能技術本身具有不確定性、倫理和軍事化問題等障礙。",
     "The paper's four obstacles.", None),
    ("a3_rec_abstract", "A3", (R,), "中日韓三國需要加強溝通協作,為人工智能產業合作創造市場化可預期的政策環境,管控外部不利因素影響,加強人工智能治理合作,深化人工智能應用層面合作,共同打造東亞生產網絡競爭新優勢。", None, None),
    ("a3_focus", "A3", (M,), "人工智能作為全球科技界和產業界的焦點,對未來國際競爭力格局有著重大影響。", None, None),
    ("a3_nosingle", "A3", (M,), "從3C產業鏈的歷史經驗可以看出,重大科技革命帶動的新興復雜產業鏈不可能由一個國家單獨完成,必然需要國際合作", None, None),
    ("a3_mfg", "A3", (E,), "2023年,中日韓三國制造業增加值達到6萬億美元,是歐盟的2.1倍,是北美三國的1.7倍。", None, None),
    ("a3_pulled", "A3", (L,), "拜登政府上臺后,積極拉攏盟友共同對付中國,日韓成為美國重點拉攏對象。", None, None),
    ("a3_torn", "A3", (M,), "中美博弈讓日韓左右為難,日韓急需找到一條既可以滿足美國“長臂管轄”要求,又可以保持對華經貿聯系的途徑。", None, None),
    ("a3_newfield", "A3", (M,), "人工智能作為一個新領域,技術路線還有多種選擇,中日韓企業之間有機會開展一些免受美國“長臂管轄”的技術合作",
     "AI as a field where cooperation could escape US long-arm jurisdiction.", None),
    ("a3_services", "A3", (E,), "以疫情前2019年數據為例,中日韓三國之間服務貿易規模占三國GDP比重僅為0.43%,美墨加為0.77%,歐元區更是高達5.77%。", None, None),
    ("a3_complement", "A3", (M,), "在中日韓三國人工智能產業發展中,中國的比較優勢在應用層、技術層和基礎層中的基礎設施領域,日韓的比較優勢在建設基礎層所需的產品領域。", None, None),
    ("a3_robots", "A3", (E,), "日本在機器人領域一直走在世界前列,擁有眾多世界知名機器人企業和研究機構", None, None),
    ("a3_iflytek", "A3", (E,), "例如,中國科大訊飛與韓國Hancom集團的合作涵蓋了機器翻譯、語音識別、智慧教育、智慧醫療、智能機器人等多個領域", None, None),
    ("a3_usbiggest", "A3", (L,), "美國因素是中日韓合作面臨的最大障礙", None, None),
    ("a3_smallyard", "A3", (L,), "拜登政府上臺以來,在高技術領域實行“小院高墻”戰略,明確提出拉攏盟友特別是日韓與中國“脫鉤斷鏈”。", None, None),
    ("a3_chips", "A3", (L,), "目前,美國重點打壓的是芯片領域的日韓與中國的合作,其中也包括應用于人工智能領域的芯片產品。", None, None),
    ("a3_dtpn", "A3", (E,), "2024年4月,美日韓啟動了顛覆性技術保護網絡,美日韓技術封鎖合作持續提升。", None, None),
    ("a3_uncertainty", "A3", (L,), "未來,美國拉攏日韓對中國的打擊范圍是否延伸至人工智能的其他方面,是中日韓人工智能產業合作的最大外部不確定性。", None, None),
    ("a3_wary", "A3", (L,), "人工智能的巨大價值使日韓希望能夠在一些方面對中國保持一定程度的技術領先,日韓心存忌憚是中日韓合作的障礙。", None, None),
    ("a3_trialerror", "A3", (L,), "較高試錯成本制約了人工智能產業發展,人工智能產業進入成熟期可能仍需一段時間,中日韓三國合作面臨不確定性。", None, None),
    ("a3_openai_mil", "A3", (E,), "OpenAI等一眾科技公司一改“禁止將人工智能用于軍事和戰爭目的”傳統,紛紛轉型為人工智能軍火商", None, None),
    ("a3_japanmil", "A3", (E,), "日本也高度重視人工智能的軍事應用,近年來重點關注多功能自主行走機器人、水下無人潛航器、無人機、情報偵察監視等領域。", None, None),
    ("a3_blow", "A3", (I,), "一旦美國將國家安全延伸至日韓的人工智能領域,中國與日韓的人工智能合作將面臨沉重打擊。", None, None),
    ("a3_rec_us", "A3", (R,), "中日韓需要在應對美國這一最大外部不確定性因素方面開展溝通,規避美國的“長臂管轄”,維護中日韓產業鏈穩定。", None, None),
    ("a3_rec_section", "A3", (R,), "中日韓三國需要加強溝通協作,為人工智能產業合作創造市場化可預期的政策環境", "Restated at the head of section IV.", 2),
    ("a3_rec_ecosystem", "A3", (R,), "構建中日韓人工智能產業共同發展新生態,是時勢使然、大勢所趨,是中日韓應對人工智能革命的根本出路,三國需要共同努力抓住機遇。", None, None),
    ("a3_rec_apps", "A3", (R,), "因此與ChatGPT等“超級應用”相比,“小而美”的專項型應用更符合當前人工智能發展階段,也為更多企業提供了介入機會。", None, None),
    ("a3_bletchley", "A3", (E,), "2023年11月,包括中日韓在內的28個國家及歐盟在英國共同簽署了《布萊切利宣言》,這是首個關于人工智能安全底線的多國宣言", None, None),
    ("a3_aiact", "A3", (E,), "2024年3月,歐盟批準了《人工智能法案》,成為目前全球最全面的人工智能立法", None, None),
    ("a3_un", "A3", (E,), "2024年3月,聯合國通過了“抓住安全、可靠和值得信賴的人工智能系統帶來的機遇,促進可持續發展”決議,首次就人工智能監管通過決議", None, None),
    ("a3_rec_gov", "A3", (R,), "因此,中日韓三國有必要關注和加強人工智能治理合作。", None, None),
    ("a3_rec_center", "A3", (R,), "時機成熟后可以成立中日韓人工智能治理研究中心,聯合開展前瞻性研究。", None, None),
    ("a3_rec_military", "A3", (R,), "中日韓至少需要管控人工智能軍事化對產業合作的影響,避免人工智能產業合作過度政治化。", None, None),
    # ------------------------------------------------------------------ A4
    ("a4_market", "A4", (E,), "2024年日本人工智能市场规模与2023年相比增长31.2%,达9000亿日元。", None, None),
    ("a4_openai", "A4", (E,), "4月,OpenAI首个亚洲办公室落地日本东京,并为日企提供日语版GPT-4。", None, None),
    ("a4_ms", "A4", (E,), "同一时期,微软宣布就云计算和AI领域,未来两年内在日本投资29亿美元", None, None),
    ("a4_oracle", "A4", (E,), "甲骨文宣布就云计算和AI领域,未来十年内在日本投资80亿美元", None, None),
    ("a4_toyota", "A4", (E,), "12月,丰田公司与日本电报电话公司(NTT)宣布,将共同投资5000亿日元用于研发AI基础设施。", None, None),
    ("a4_10tn", "A4", (E,), "11月,首相石破茂宣布希望到 2030财年,政府对人工智能和半导体的投入超过10万亿日元", None, None),
    ("a4_missed", "A4", (L,), "但由于技术路线的失误、宏观经济的拖累以及激烈的市场竞争,导致日本并没有在当前新一轮生成式人工智能的风口上掌握主动权。", None, None),
    ("a4_lowpen", "A4", (L,), "相反,由于传统企业和民众对于数字化转型和智能应用的保守态度,日本的人工智能应用渗透率非常低,也缺乏具有国际竞争力的互联网和大模型企业。", None, None),
    ("a4_intl", "A4", (M,), "在这种情况下,过去五年,历届日本政府都十分注重通过国际合作进程来倒逼国内数字化、智能化改革。",
     "Japan uses international processes to drive domestic reform.", None),
    ("a4_dfft", "A4", (E,), "比如前首相安倍晋三最早在2019年达沃斯世界经济论坛年度峰会上提出“基于信任的数据自由流动”(Data Free Flow with Trust,DFFT)框架", None, None),
    ("a4_hiroshima", "A4", (E,), "又如前首相岸田文雄充分利用2023年七国集团主场外交契机,开启“广岛人工智能进程”", None, None),
    ("a4_softlaw", "A4", (E,), "意味着日本未来一段时期将遵循“软法范式”,依靠非约束性的指导原则而非硬性的法规对人工智能企业进行监管", None, None),
    ("a4_middleman", "A4", (I,), "机遇在于,日本可以在中美竞争中扮演“中间人”角色,形成枢纽地位的独特优势。", None, None),
    ("a4_diffusion", "A4", (E,), "以半导体行业为例,拜政府于2025年1月13日发布《人工智能扩散临时最终规则》(Interim Final Rule),实施算力出口配额制度。对于作为盟友的日本,美国允许其自由采购美国的芯片,而对于中国等“非信任实体”,则几乎完全禁止其进口美国的AI处理器。", None, None),
    ("a4_semi50", "A4", (E,), "据统计,自2023年下半年以来,日本半导体设备出口至中国占比已连续三个季度超过50%。", None, None),
    ("a4_japan_controls", "A4", (E,), "由于美国不断收紧出口管制政策,日本也在2023年5月调整了出口管制限制范围", None, None),
    ("a4_boom", "A4", (L,), "一方面,当前中日之间的半导体贸易是一种“特殊景气”,很大程度上受到美国出口管制政策的影响,可持续性存疑。", None, None),
    ("a4_trump", "A4", (I,), "在对华战略竞争成为美国两党共识的情况下,未来特朗普政府很可能进一步加大对华科技打压的力度。", None, None),
    ("a4_interference", "A4", (L,), "中日之间的半导体贸易乃至更大范围的技术产业合作都很可能受到美国的干扰。", None, None),
    ("a4_autonomy", "A4", (L,), "另一方面,日本人工智能产业发展的自主性不足,依赖于硅谷资本和美国的大模型技术。", None, None),
    ("a4_dependence", "A4", (I,), "对美国资本和技术的长期依赖可能导致日本在新一轮智能革命中进一步依附于美国,被迫以高昂的成本获得美国先进的算法和算力,同时让美国以廉价的方式获取日本应用产生的大量数据资源。", None, None),
    ("a4_rec", "A4", (R,), "中日两国应当抓住当前政治关系回暖的契机,加快建立更加绵密的人工智能产学研合作体系,在技术、投资、人才、企业出海和治理规则等各个方面进行对接。", None, None),
    ("a4_chinahelps", "A4", (M,), "比如中国在大模型技术方面的优势可以帮助日本减少对美国技术的过度依赖降低市场垄断的风险。", None, None),
    ("a4_materials", "A4", (M,), "日本还在半导体材料、设备等关键领域掌握主导地位和大量“隐性知识”,这是中国发展人工智能和半导体产业所必须学习和借鉴的重要内容。", None, None),
    ("a4_talent", "A4", (L,), "人工智能人才的巨大缺口一直是日本难以实现数字化和智能化转型的重要原因之一。", None, None),
    ("a4_itpros", "A4", (E,), "在过去10年里,日本的外籍IT专业人士数量增加了三倍,达到8.5万人。", None, None),
    ("a4_gaigi", "A4", (E,), "2023年中国提出《全球人工智能治理倡议》中的智能向善目标与日本倡导的“以人为中心”的人工智能理念不谋而合。", None, None),
    ("a4_deepen", "A4", (R,), "持续深化中日人工智能在各领域的合作,将有助于双方共同抵御外部风险和不确定性,推动构建普惠包容的智能数字生态体系。", None, None),
    ("a4_tolerant", "A4", (L,), "正如此“专题六”所述,日本比美国和其他国家更宽容对待中国的人工智能。", "Reviewer comment (Prof. Kawashima Shin).", None),
    ("a4_pressure", "A4", (L,), "但是,美国也注意到日本的态度,给日本政府很强大的压力,目前难以预测将来的状况。", "Reviewer comment (Prof. Kawashima Shin).", None),
    ("a4_lagchina", "A4", (E, L), "而日本AI产业的发展相较于中国整体较为迟缓,一些观点甚至认为其发展落后于中国。", "Reviewer comment (Prof. Aoyama Rumi).", None),
]

# Same-claim groups: the analyst's review decisions.  Spans in one group are one
# claim (linker suggestions inside a group are confirmed, missed pairs merged);
# every other linker suggestion is rejected.
CLAIMS: list[tuple[str, list[str]]] = [
    ("Bletchley Declaration (Nov 2023): states agree AI risks need international governance",
     ["a1_bletchley", "a2_bletchley", "a3_bletchley"]),
    ("UN General Assembly adopts its first AI resolution, on safe, secure and trustworthy AI (Mar 2024)",
     ["a1_un", "a2_un", "a3_un"]),
    ("EU AI Act approved (Mar 2024), the first comprehensive AI law",
     ["a2_aiact", "a3_aiact"]),
    ("US-Japan Competitiveness and Resilience (CoRe) Partnership (Apr 2021) deepens AI R&D cooperation",
     ["a0_core", "a1_core", "a1_summit0416"]),
    ("US launches the AI Partnership for Defense with allies (2020)",
     ["a0_aipd", "a2_aipd", "a2_aipd_jaic"]),
    ("US-Japan agreement on joint AI research for drones teamed with Japan's next fighter (Dec 2023)",
     ["a0_drone", "a1_drone"]),
    ("G7 Hiroshima AI Process launched under Japan's presidency (2023)",
     ["a0_hiroshima", "a1_hiroshima", "a4_hiroshima"]),
    ("Japan launches the Hiroshima AI Process Friends Group (May 2024)",
     ["a0_friends", "a1_friends"]),
    ("OpenAI opens its first Asian office in Tokyo (Apr 2024)",
     ["a0_openai", "a4_openai"]),
    ("Microsoft (US$2.9bn) and Oracle announce AI/cloud investment in Japan (Apr 2024)",
     ["a0_ms", "a1_ms_oracle", "a4_ms", "a4_oracle"]),
    ("Amazon to invest about ¥2.3tn in Japanese cloud/data-centre infrastructure (Jan 2024)",
     ["a0_amazon", "a1_amazon"]),
    ("US$110m from NVIDIA, Amazon, Microsoft, SoftBank et al. for US-Japan university AI partnerships (Apr 2024)",
     ["a0_univ", "a1_univ"]),
    ("US-Japan AI cooperation is driven by, and aimed at, containing China (the 'China threat')",
     ["a0_thesis", "a0_contain", "a1_basis", "a1_threat"]),
    ("US 2022 National Security Strategy: China is the only competitor able to reshape the order",
     ["a0_nss", "a1_nss"]),
    ("US export controls on advanced AI chips and chipmaking equipment to China (Oct 2022)",
     ["a0_export2022", "a1_export2022"]),
    ("US AI Diffusion rule (13 Jan 2025): tiered chip access, allies like Japan free, China barred",
     ["a0_diffusion", "a0_tiers", "a4_diffusion"]),
    ("Cooperation deepens Japan's dependence on US AI technology and capital, weakening its autonomy",
     ["a1_dependence", "a4_autonomy", "a4_dependence"]),
    ("Japan has a large AI talent gap it cannot close quickly",
     ["a1_talent", "a1_meti", "a4_talent"]),
    ("The Trump administration is likely to intensify US suppression of China's technology and AI",
     ["a1_trump", "a4_trump"]),
    ("China and Japan (and Korea) should deepen AI dialogue, exchanges and cooperation",
     ["a1_rec_dialogue", "a3_rec_abstract", "a3_rec_section", "a4_rec", "a4_deepen"]),
    ("China (software, applications, large models) and Japan (hardware, robots, materials) are complementary in AI",
     ["a1_complement", "a3_complement", "a4_chinahelps", "a4_materials"]),
    ("US pressure and interference is the main obstacle to China-Japan(-Korea) AI and chip cooperation",
     ["a3_usbiggest", "a3_chips", "a3_uncertainty", "a3_blow", "a4_interference", "a4_pressure"]),
    ("The US pulls Japan (and Korea) into its strategic competition with China",
     ["a0_pulled", "a3_pulled"]),
    ("US 'small yard, high fence' strategy in high technology",
     ["a1_smallyard", "a2_smallyard", "a3_smallyard"]),
    ("Securitised, bloc-based AI cooperation risks a technological 'new Cold War'",
     ["a0_coldwar", "a1_twosystems"]),
    ("The Biden administration builds a 'democratic technology alliance' for great-power competition",
     ["a1_democ", "a2_democ"]),
    ("Japan perceives less of a China threat, and is more tolerant of Chinese AI, than the US",
     ["a1_weakthreat", "a4_tolerant"]),
    ("Japan follows the US with its own chip-equipment export controls on China (2023)",
     ["a1_japan_follow", "a4_japan_controls"]),
    ("OpenAI drops its ban on military use of its AI (Jan 2024)",
     ["a2_openai_mil", "a3_openai_mil"]),
    ("Japan is actively developing military AI and autonomous weapons",
     ["a1_japanmil", "a3_japanmil"]),
    ("Japan lags behind in the current (generative) AI race",
     ["a1_catchup", "a1_stanford", "a4_missed", "a4_lagchina"]),
    ("Japanese firms are slow and conservative in adopting AI; penetration is low",
     ["a1_slow", "a4_lowpen"]),
    ("Japan (like the US) governs AI by 'soft law': non-binding guidelines rather than hard regulation",
     ["a1_softlaw", "a4_softlaw"]),
    ("Biden's Executive Order on safe, secure and trustworthy AI (Oct 2023)",
     ["a1_eo", "a2_eo"]),
    ("AI has become the focus and core of great-power competition",
     ["a0_frontier", "a1_focus", "a2_aicore", "a3_focus"]),
    ("No single country can control the whole AI industrial chain, so international cooperation is necessary",
     ["a1_nosingle", "a3_nosingle"]),
    ("Japan as the US's link ('sub-axis', bridge) to its Asia-Pacific allies",
     ["a0_bridge", "a1_subaxis"]),
    ("The G7 Hiroshima AI code of conduct is voluntary, not legally binding",
     ["a1_nonbinding", "a2_code"]),
    ("NSCAI (2021) recommends formal AI cooperation agreements with Japan and other Indo-Pacific partners",
     ["a0_nscai", "a2_nscai_rec"]),
]


# How claims bear on each other: (source span, target span, type, why).  Read as
# "source supports/attacks target".  The papers' limitations attack their own
# motives; evidence supports the claims it is cited for; impacts are the reasons
# for the recommendations that answer them; some papers support or contest
# another's claim.  Never between two spans of one claim (that is identity).
S, A = "supports", "attacks"
RELATIONS: list[tuple[str, str, str, str]] = [
    # ------------------------------------------------------------- within A0
    ("a0_unequal", "a0_core", A,
     "The asymmetric alliance makes the cooperation serve US strategy, not the stated shared competitiveness."),
    ("a0_nss", "a0_thesis", S, "The US naming China its only global competitor grounds the containment thesis."),
    ("a0_whitepaper", "a0_japan_fear", S,
     "Japan's 2024 white paper calling China its greatest strategic challenge shows the fear."),
    ("a0_export2022", "a0_contain", S, "The 2022 chip export controls are the containment in practice."),
    ("a0_tiers", "a0_exclusive", S,
     "Allies in tier one, China in tier three: the exclusive advantage the brief describes."),
    ("a0_nl_japan", "a0_pulled", S, "Washington pressing Japan to curb chip-tool sales to China pulls it in."),
    # ------------------------------------------------------------- within A1
    ("a1_weakthreat", "a1_threat", A,
     "Japan perceives a weaker China threat than the US: the shared 'greatest threat' is overstated."),
    ("a1_complement", "a1_basis", A,
     "Complementarity with China gives Japan reasons to cooperate with it, against a cooperation built on the China threat."),
    ("a1_talent", "a1_catchup", A, "The talent gap limits how far US technology can help Japan catch up."),
    ("a1_slow", "a1_catchup", A, "Slow adoption by Japanese firms limits the catch-up US technology is meant to bring."),
    ("a1_dependence", "a1_catchup", A,
     "Deeper dependence on US technology is the opposite of Japan catching up on its own."),
    ("a1_meti", "a1_catchup", A, "A forecast gap of 88,000 to 124,000 AI workers by 2030 slows any catch-up."),
    ("a1_lukewarm", "a1_softlaw", A,
     "The US is lukewarm about the Hiroshima Process: a shared soft-law style is not a shared governance goal."),
    ("a1_transactional", "a1_military", A,
     "Trump's transactional diplomacy and Ishiba's pursuit of parity strain the hoped-for military integration."),
    ("a1_nonbinding", "a1_hiroshima", A,
     "A voluntary code does little for developing countries, whatever the inclusive wording."),
    ("a1_trump", "a1_rec_resolve", S,
     "Harsher US suppression under Trump is why China must hold its course and break through the blockade."),
    ("a1_transactional", "a1_rec_dialogue", S,
     "US-Japan friction under Trump and Ishiba's autonomy drive open the door to engaging Japan."),
    ("a1_divide", "a1_rec_governance", S,
     "A wider digital divide is what China's global AI governance initiatives are put forward to answer."),
    ("a1_twosystems", "a1_rec_governance", S,
     "Against two parallel governance systems, the answer is to use existing international institutions."),
    # ------------------------------------------------------------- within A2
    ("a2_trumplegacy", "a2_complement", A,
     "Trump's isolationist legacy makes the complementary, resilient alliance hard to rebuild."),
    ("a2_autonomy", "a2_order", A,
     "Europe's digital and technological sovereignty pulls against one Western technology order."),
    ("a2_chinagap", "a2_china", A,
     "Divergent views of China weaken the alliance's guard against the 'China threat'."),
    ("a2_reggap", "a2_order", A, "EU guardrails against US light-touch regulation: no single rulebook for the order."),
    ("a2_nobigtech", "a2_subordinate", S, "Without global tech firms, Europe is likely to be the junior partner."),
    ("a2_airstrikes", "a2_prospects", S,
     "The first admitted combat use of AI: militarised AI is one of the three fields cooperation will deepen."),
    ("a2_poll", "a2_nato_balance", S,
     "61% oppose lethal autonomous weapons: why NATO must weigh public opinion against capability."),
    ("a2_nscai_values", "a2_china", S, "NSCAI frames the AI race with China as a contest of values."),
    ("a2_controls", "a2_smallyard", S, "Joint investment and export controls on China: 'small yard, high fence' with Europe."),
    # ------------------------------------------------------------- within A3
    ("a3_usbiggest", "a3_significance", A, "US interference is the biggest obstacle to the cooperation the paper values."),
    ("a3_wary", "a3_complement", A,
     "Japan and Korea want to stay ahead of China, so complementarity does not translate into cooperation."),
    ("a3_trialerror", "a3_newfield", A,
     "High trial-and-error costs and an immature industry make the 'new field' opening uncertain."),
    ("a3_mfg", "a3_significance", S, "US$6tn of manufacturing value added: the production network cooperation would strengthen."),
    ("a3_iflytek", "a3_complement", S, "iFlytek and Hancom: Chinese applications meeting Korean partners."),
    ("a3_dtpn", "a3_uncertainty", S, "The US-Japan-Korea technology protection network shows the blockade widening."),
    ("a3_blow", "a3_rec_us", S,
     "The blow if US security reach extends to Japanese and Korean AI is what coordinating against long-arm jurisdiction answers."),
    ("a3_japanmil", "a3_rec_military", S,
     "Japan's military AI push is why the three must contain militarisation's effect on industry cooperation."),
    # ------------------------------------------------------------- within A4
    ("a4_boom", "a4_semi50", A,
     "Over half of Japan's chip-tool exports going to China is a rush ahead of US controls, not a lasting trend."),
    ("a4_interference", "a4_rec", A, "US interference threatens the dense China-Japan cooperation the paper recommends."),
    ("a4_dependence", "a4_chinahelps", S,
     "Dependence on US capital and models is what China's large-model strengths could reduce."),
    ("a4_missed", "a4_intl", S,
     "Having missed the generative AI wave, Japan turns to international processes to force reform at home."),
    ("a4_gaigi", "a4_deepen", S, "Shared 'AI for good' and human-centred aims ground deeper cooperation."),
    ("a4_itpros", "a4_talent", A, "Foreign IT professionals tripled to 85,000: the gap is being narrowed."),
    ("a4_pressure", "a4_tolerant", A,
     "The reviewer adds that US pressure on Tokyo may override Japan's tolerance of Chinese AI."),
    # ------------------------------------------------------------- across papers
    ("a0_drone", "a1_military", S,
     "Joint AI research for drones teamed with Japan's next fighter is the military interoperability motive at work."),
    ("a2_chinagap", "a1_weakthreat", S,
     "Europe too sees China differently from the US: the same perception gap among US allies."),
    ("a4_tolerant", "a0_thesis", A,
     "A Japan tolerant of Chinese AI undercuts the reading of the cooperation as containment on both sides."),
    ("a3_torn", "a0_pulled", A,
     "Japan is not simply pulled in: it looks for a way to satisfy Washington and keep its China ties."),
    ("a4_middleman", "a1_subaxis", A, "Japan as a hub between the US and China, not only the US's sub-axis in Asia."),
    ("a2_subordinate", "a0_unequal", S, "The EU, like Japan, ends up the junior partner: US alliances are asymmetric."),
    ("a4_dependence", "a0_unequal", S, "Japan's dependence on US capital and models is the asymmetry A0 describes."),
    ("a2_hiroshima_lead", "a1_lukewarm", A,
     "Du and Li see the US leading the Hiroshima Process; Gao and Xu find it lukewarm."),
    ("a1_trump", "a3_uncertainty", S,
     "Harsher US suppression under Trump makes an extension of the blockade to other AI fields likelier."),
    ("a0_coldwar", "a3_rec_gov", S,
     "The risk of a bloc-based technology cold war is a reason for joint AI governance in East Asia."),
    ("a2_openai_mil", "a3_rec_military", S,
     "AI firms turning into arms suppliers is why militarisation must be kept out of industry cooperation."),
]


def build(db_path: Path, seeds: Path, fresh: bool, threshold: float | None) -> int:
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    db = open_db(db_path)
    problems = 0

    if db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0:
        # The articles only, as the demo imports them (not the folder's README).
        items = import_paths(db, [str(p) for p in sorted(seeds.glob("*.txt"))])
        print(f"imported {sum(1 for i in items if i.status == 'imported')} articles from {seeds}")
    if "evidence" not in {t.name for t in list_tags(db)}:
        add_tag(db, "evidence", key="e")

    # 1. spans ---------------------------------------------------------------
    keys = [s[0] for s in SPANS]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    if dupes:
        raise SystemExit(f"duplicate span keys: {dupes}")
    span_id: dict[str, int] = {}
    methods: Counter[str] = Counter()
    for key, art, tags, quote, note, occ in SPANS:
        ref = ARTICLES[art]
        text = article_text(db, resolve_article(db, ref).id)
        count = text.count(quote)
        if count == 0 or (count > 1 and occ is None):
            print(f"WARNING {key}: quote occurs {count} times exactly in {ref}", file=sys.stderr)
            problems += 1
        try:
            res = annotate_quote(db, ref, quote, list(tags), note=note, occurrence=occ, annotator=ANNOTATOR)
        except ClaimmapError as exc:
            print(f"ERROR {key}: {exc}", file=sys.stderr)
            problems += 1
            continue
        methods[res.anchor] += 1
        if res.anchor != "exact":
            print(f"WARNING {key}: anchored {res.anchor}: {res.quote}", file=sys.stderr)
            problems += 1
        span_id[key] = res.id
    print(f"spans: {len(span_id)} ({dict(methods)})")

    group_of: dict[int, int] = {}
    for g, (_label, members) in enumerate(CLAIMS):
        for k in members:
            if k not in span_id:
                raise SystemExit(f"claim {g}: unknown span key {k}")
            if span_id[k] in group_of:
                raise SystemExit(f"span {k} is in two claims")
            group_of[span_id[k]] = g

    # 2. linker + review -----------------------------------------------------
    # First at the default threshold, then a wider net (WIDE_THRESHOLD) so the
    # near misses are reviewed too: rejected pairs are never suggested again.
    passes = [None, WIDE_THRESHOLD] if threshold is None else [threshold]
    for t in passes:
        summary = run_linker(db) if t is None else run_linker(db, t)
        accept, reject = [], []
        for link in list_links(db, "suggested"):
            ga, gb = group_of.get(link.a), group_of.get(link.b)
            (accept if ga is not None and ga == gb else reject).append(link.id)
        if accept:
            set_links_status(db, accept, "confirmed")
        if reject:
            set_links_status(db, reject, "rejected")
        print(f"linker at {summary.threshold}: {summary.new} new suggestions; "
              f"review: {len(accept)} confirmed, {len(reject)} rejected")

    # 3. pairs the linker missed, then labels ---------------------------------
    merges = 0
    for label, members in CLAIMS:
        ids = [span_id[k] for k in members]
        for other in ids[1:]:
            ca, cb = claim_of(db, ids[0]), claim_of(db, other)
            if ca != cb:
                merge_claims(db, ca, cb)
                merges += 1
        label_claim(db, claim_of(db, ids[0]), label)
    print(f"manual merges (claims merge): {merges}")

    # 4. relations between claims -------------------------------------------
    stated = 0
    for source, target, type_, note in RELATIONS:
        for k in (source, target):
            if k not in span_id:
                raise SystemExit(f"relation {source} -> {target}: unknown span key {k}")
        if group_of.get(span_id[source], -1) == group_of.get(span_id[target], -2):
            raise SystemExit(f"relation {source} -> {target}: both spans are one claim")
        exists = db.execute(
            "SELECT 1 FROM relations WHERE source = ? AND target = ? AND type = ? AND annotator = ?",
            [span_id[source], span_id[target], type_, ANNOTATOR],
        ).fetchone()
        if exists is None:
            add_relation(db, span_id[source], span_id[target], type_, note=note, annotator=ANNOTATOR)
            stated += 1
    print(f"relations: {stated} added ({len(RELATIONS)} in the table)")

    shared = [c for c in list_claims(db, min_spans=2) if len(set(c.articles)) >= 2]
    print(f"claims shared by 2+ articles: {len(shared)} (labelled claims: {len(CLAIMS)})")
    if len(shared) != len(CLAIMS):
        print("WARNING: some labelled claims are not cross-article", file=sys.stderr)
        problems += 1
    db.close()
    return 1 if problems else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    ap.add_argument("--db", type=Path, default=Path("/tmp/worked.db"))
    ap.add_argument("--seeds", type=Path, default=here.parent / "seeds")
    ap.add_argument("--fresh", action="store_true", help="delete the database first")
    ap.add_argument("--threshold", type=float, default=None, help="linker threshold (default: claimmap's)")
    args = ap.parse_args()
    sys.exit(build(args.db, args.seeds, args.fresh, args.threshold))


if __name__ == "__main__":
    main()
