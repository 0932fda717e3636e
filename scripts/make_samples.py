#!/usr/bin/env python3
"""Write the invented sample archive in samples/ and its reference samples/truth.json.

Every text here is invented for kanbao's tests. The pages reproduce the layout traps of OCR
output: lines broken by columns (with and without blank lines between them), headlines before,
after or gathered below their articles, kickers, subtitles, subheads, boxes, photo captions,
bylines and datelines, digits lost to OCR, Latin names split across lines, Markdown headings,
long lines broken mid-sentence, GB18030 and UTF-16 encodings, CRLF line ends.
Run from the repository root: python3 scripts/make_samples.py
"""
import json
import os
import unicodedata

OUT = "samples"


def cells(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def tokens(text):
    """Characters, with runs of Latin letters and digits kept together (they never break)."""
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j].isascii() and text[j].isalnum():
            j += 1
        if j > i:
            out.append(text[i:j])
            i = j
        else:
            out.append(text[i])
            i += 1
    return out


def wrap(text, width, first_short=0):
    """Break text into lines of at most `width` cells (the first line `first_short` less)."""
    lines, cur, w = [], "", 0
    limit = width - first_short
    for c in tokens(text):
        cw = cells(c)
        # closing punctuation hangs at the end of the line, as in print
        if w + cw > limit and cur and c not in "，。、；：！？”’）》…,.;:!?)":
            lines.append(cur)
            cur, w, limit = "", 0, width
        cur += c
        w += cw
    if cur:
        lines.append(cur)
    return lines


def column(paras, width, loose, indent_lost=True):
    """Lay paragraphs out in a column. loose: a blank line after every line."""
    out = []
    for p in paras:
        ls = wrap(p, width, 4 if indent_lost else 0)
        for l in ls:
            out.append(l)
            if loose:
                out.append("")
        if not loose:
            out.append("")
    return out


truth = {"about": "Reference segmentation of kanbao's own invented sample issues (same format as seeds-truth.json).", "issues": {}}


def add(name, articles, fragments=()):
    truth["issues"][name] = {"articles": articles, "fragments": list(fragments)}


def write(name, lines, encoding="utf-8", newline="\n", sidecar=None):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = newline.join(lines) + newline
    with open(path, "wb") as f:
        if encoding == "utf-16":
            f.write(text.encode("utf-16"))  # with BOM
        else:
            f.write(text.encode(encoding))
    if sidecar:
        with open(os.path.splitext(path)[0] + ".toml", "w", encoding="utf-8") as f:
            f.write(sidecar)


# ---------------------------------------------------------------- page 1: loose columns, headline block at the end
a1_lead = "老旧小区改造进入深水区，居民需求更加多样，如何把一块闲置空地变成大家都满意的公共空间，考验着基层治理的智慧。近日，河畔街道召开社区花园建设推进会，对首批参与共建的居民志愿者进行表彰。"
a1 = [
    "去年以来，河畔街道在辖区六个小区推行“居民提案、专业设计、共同施工”的花园建设办法，先后收到居民提案四十余份，其中十二份已经落地。",
    "河畔新村是街道里房龄最老的小区之一。过去，小区中央的空地长期堆放杂物，雨天积水，夏天蚊虫多，居民意见很大。今年三月，居民代表、退休教师顾兰芳牵头成立了花园议事小组。",
    "议事小组先后召开九次协商会，征集到二百多条意见。大家最终商定，把空地改造成带有雨水花园和儿童沙坑的共享花园，由街道出资购买材料，居民出工出力。",
    "“以前下楼就是一片烂泥地，现在孩子们放学后都愿意在这里玩。”住在五号楼的居民孙建国说。",
    "街道负责人表示，下一步将总结共享花园的建设经验，在更多小区推广，并探索由居民自主管理的长效维护机制。",
]
a2 = [
    "本报讯（记者 陈默）自下月起，市图书馆将把周五和周六的闭馆时间延长至晚上十点，方便上班族和学生在晚间阅读、自习。",
    "据介绍，延时开放期间，图书馆一楼的综合阅览室、二楼的少儿阅览室和三楼的自习区照常开放，借还书自助机也同步运行。图书馆还将在周六晚上推出“夜读沙龙”，邀请作家和学者与读者面对面交流。",
    "图书馆相关负责人表示，延时开放是回应读者建议的一项举措，试行三个月后将根据客流情况进行调整。",
]
a3 = [
    "昨天上午8点，伴随着发令枪声，2024滨江半程马拉松在江畔广场鸣枪开跑，来自国内外的8000多名选手沿着江岸跑道一路向北，共同感受滨江秋色。",
    "本届赛事由市体育总会指导，滨江区人民政府主办，赛道途经三座大桥和两处历史建筑群，被不少选手称为“最有看头的半程马拉松”。",
    "经过激烈角逐，来自挪威的Ingrid Halvorsen以1小时09分的成绩获得女子组冠军，男子组冠军则由本地选手何一鸣获得。",
]
a4 = [
    "一群初中生手拿放大镜和采样瓶，蹲在水边仔细观察水生植物的根系……11月 18日，由市科技馆和湿地公园联合举办的少年科学营迎来第三期营员。",
    "本期科学营以“认识湿地”为主题，营员们在科研人员的带领下测量水质、辨认鸟类，还动手制作了植物标本。科技馆工作人员介绍，科学营自今年春天开办以来，已有三百多名中小学生参加。",
    "“课本上讲湿地是地球之肾，今天我终于明白是什么意思了。”来自实验中学的营员郑可欣说。科学营计划明年扩大规模，并增加夜间观星等活动内容。",
]
p1 = column([a1_lead], 22, True) + ["■本报记者 林晓岚", ""] + column(a1, 22, True)
p1 += column(a2, 24, True)
# a tightly set report with a Latin name split across two lines
tight = []
for para in a3:
    ls = wrap(para, 30, 4)
    tight += ls
    tight.append("")
for k, l in enumerate(tight):
    if "Ingrid Halvorsen" in l:
        head, rest = l.split("Ingrid Halvorsen", 1)
        tight[k:k + 1] = [head + "Ingrid", "Halvorsen" + rest]
        break
    if l.endswith("Ingrid") or "Ingrid" in l:
        break
p1 += tight + ["□本报记者 周远 摄影报道", "", "■本报记者 宋雨", ""]
p1 += column(a4, 22, True)
p1 += ["", "老旧小区焕新颜", "", "河畔新村建起“共享花园”", "",
       "2024滨江半程马拉松鸣枪开跑", "8000多名选手沿江竞速", "",
       "市图书馆延长夜间开放时间", "",
       "湿地公园里的", "少年科学营", ""]
write("2024/riverside-20241119-p1.txt", p1, sidecar='paper = "滨江日报"\ndate = 2024-11-19\npage = 1\n')
add("riverside-20241119-p1.txt", [
    {"title": "河畔新村建起“共享花园”", "byline": "林晓岚", "start": "老旧小区改造进入深水区", "end": "由居民自主管理的长效维护机制",
     "joins": ["如何把一块闲置空地变成大家都满意的公共空间", "先后收到居民提案四十余份"],
     "para_starts": ["去年以来，河畔街道", "河畔新村是街道里房龄最老的小区之一", "议事小组先后召开九次协商会", "街道负责人表示"]},
    {"title": "市图书馆延长夜间开放时间", "byline": "陈默", "start": "自下月起，市图书馆将把周五和周六", "end": "将根据客流情况进行调整",
     "joins": ["借还书自助机也同步运行"], "para_starts": ["据介绍，延时开放期间", "图书馆相关负责人表示"]},
    {"title": "2024滨江半程马拉松鸣枪开跑", "byline": "周远", "start": "昨天上午8点，伴随着发令枪声", "end": "男子组冠军则由本地选手何一鸣获得",
     "joins": ["来自挪威的Ingrid Halvorsen以1小时09分的成绩获得女子组冠军"], "para_starts": ["本届赛事由市体育总会指导"]},
    {"title": "湿地公园里的少年科学营", "byline": "宋雨", "start": "一群初中生手拿放大镜和采样瓶", "end": "并增加夜间观星等活动内容",
     "joins": ["11月18日，由市科技馆和湿地公园联合举办的少年科学营迎来第三期营员"]},
])

# ---------------------------------------------------------------- page 2: long lines, ■ bylines, 本报讯, subheads, orphan byline
b1 = [
    "本报讯 3月5日,区委常委会召开会议,专题研究背街小巷环境整治工作。会议听取了区城管局关于去年整治情况的汇报,并对今年的重点任务作出部署。",
    "会议指出,背街小巷是城市的“毛细血管”,直接关系居民的获得感。去年全区共整治背街小巷六十二条,拆除违法搭建一万余平方米,新增绿地三千多平方米,居民满意度明显提升。",
    "会议要求,今年要坚持问题导向,把居民反映最集中的停车难、晾晒难、夜间照明不足等问题作为突破口,做到整治一条、巩固一条、满意一条。各街道要建立巷长制,明确每条巷子的责任人,推动日常管理常态化、精细化。",
]
b2 = [
    "本报讯 3月8日,第二届社区运动会在区体育中心开幕。来自十个街道的一千二百名运动员将在接下来的两个月里参加十五个项目的比赛。",
    "本届运动会设置了跳绳、踢毽子、拔河、门球等群众喜闻乐见的项目,还首次增加了适合老年人参加的健步走和太极拳比赛。",
]
b2_sub = [
    ("全民参与", "社区运动会办到家门口"),
    ("科技助力", "智能手环记录运动数据"),
]
b2_more = [
    "今年的比赛场地不再集中在体育中心,而是分散到各街道的健身广场和学校操场,居民走出家门就能参赛观赛。组委会还在每个赛点设立了志愿服务站,为参赛老人提供饮水和急救服务。",
    "参加健步走比赛的选手每人领到一只智能手环,步数、心率等数据实时上传到赛事平台,家人可以通过手机查看。组委会表示,比赛结束后这些数据还将用于分析社区居民的运动习惯,为今后建设健身设施提供参考。",
]
b3 = [
    "本报讯 3月9日,区内首家“银发食堂”在东湖街道开业。食堂由街道提供场地,引入专业餐饮企业运营,为辖区六十岁以上老人提供午餐和晚餐。",
    "食堂每天供应十余种菜品,荤素搭配,少油少盐。老人凭卡就餐可享受八折优惠,行动不便的老人还可以预约送餐上门。开业第一天,食堂就接待了三百多位老人。",
]
long_text_1 = b1[2]
cut = long_text_1.index("各街道要建立巷长制") + 4
p2 = ["", "", "区委常委会专题研究背街小巷环境整治工作", "", "■记者 吴晓峰", ""]
p2 += [b1[0], "", b1[1], "", long_text_1[:cut], "", long_text_1[cut:], ""]
p2 += ["千人同场 十五个项目……", "", "第二届社区运动会开幕", "", "■记者 钱丽", ""]
p2 += [b2[0], "", b2[1], ""]
for (a, b), body in zip(b2_sub, b2_more):
    p2 += [a, "", b, ""]
    cut2 = body.index("还在每个赛点") if "还在每个赛点" in body else body.index("比赛结束后")
    p2 += [body[:cut2], "", body[cut2:], ""]
p2 += ["", "", "■记者 钱丽", "", "区内首家“银发食堂”开业", "", "■记者 吴晓峰", "", b3[0], "", b3[1]]
write("2024/donghu-weekly-2024-03-10.md", p2)
add("donghu-weekly-2024-03-10.md", [
    {"title": "区委常委会专题研究背街小巷环境整治工作", "byline": "吴晓峰", "start": "3月5日,区委常委会召开会议", "end": "推动日常管理常态化、精细化",
     "joins": ["各街道要建立巷长制,明确每条巷子的责任人"], "para_starts": ["会议指出,背街小巷是城市的", "会议要求,今年要坚持问题导向"]},
    {"title": "第二届社区运动会开幕", "byline": "钱丽", "start": "3月8日,第二届社区运动会在区体育中心开幕", "end": "为今后建设健身设施提供参考",
     "joins": ["组委会还在每个赛点设立了志愿服务站", "比赛结束后这些数据还将用于分析社区居民的运动习惯"],
     "subheads": ["社区运动会办到家门口", "智能手环记录运动数据"]},
    {"title": "区内首家“银发食堂”开业", "byline": "吴晓峰", "start": "3月9日,区内首家“银发食堂”在东湖街道开业", "end": "食堂就接待了三百多位老人"},
], fragments=["钱丽"])

# ---------------------------------------------------------------- page 3: Markdown headings, section labels, captions
p3 = ["", "## 本市各区推进“一刻钟便民生活圈”建设,家门口的服务越来越多——", "",
      "# 小店铺连起大民生", "", "■本报记者 唐思远 梁静", "",
      "记者近日走访多个社区发现,修鞋配钥匙、裁缝缝补、早餐小吃等便民小店正重新回到居民身边。各区通过盘活闲置商铺、减免租金等办法,让便民服务“近在咫尺”。", "",
      "### 盘活闲置空间,便民小店回到楼下", "",
      "西城街道把两处闲置的自行车棚改造成便民服务点,引进了修鞋、配钥匙、家电维修等六家小店。租金由街道补贴一半,店主只需承担水电费用。", "",
      "### 数字平台助力,居民下单更方便", "",
      "南湖区上线了便民服务小程序,居民可以在线预约上门维修、查询附近小店的营业时间。平台上线半年,累计服务居民两万多人次。", "", "", "",
      "西城街道便民服务点里,修鞋师傅正在为居民修补皮鞋。", "", "本报记者 梁静摄", "",
      "### 店主说", "",
      "#### 守着这间小铺,街坊的事就是我的事", "",
      "老周(西城街道便民服务点修鞋师傅)", "",
      "我在这条街上修了二十多年鞋。以前店面在马路边,后来道路拓宽就没了地方。现在街道给了我们一间敞亮的小屋,老顾客又都找回来了。能为大家做点小事,我心里踏实。", "",
      "(本报记者 唐思远整理)", "",
      "#### 早点铺开在小区门口,年轻人也来了", "",
      "林姐(南湖区早餐店店主)", "",
      "以前总觉得早餐店是做老人生意,没想到上了小程序以后,很多年轻人下班路上订好第二天的早饭,早上顺路一拿就走。生意比去年好了三成。", "",
      "(本报记者 梁静整理)", "", "", "",
      "南湖区居民通过便民服务小程序预约上门维修。(受访者供图)", ""]
write("2024/metro-2024-05-20-a3.md", p3)
add("metro-2024-05-20-a3.md", [
    {"title": "小店铺连起大民生", "byline": "唐思远", "start": "记者近日走访多个社区发现", "end": "累计服务居民两万多人次",
     "subheads": ["盘活闲置空间,便民小店回到楼下", "数字平台助力,居民下单更方便"]},
    {"title": "守着这间小铺,街坊的事就是我的事", "start": "我在这条街上修了二十多年鞋", "end": "我心里踏实"},
    {"title": "早点铺开在小区门口,年轻人也来了", "start": "以前总觉得早餐店是做老人生意", "end": "生意比去年好了三成"},
], fragments=["修鞋师傅正在为居民修补皮鞋", "南湖区居民通过便民服务小程序预约上门维修"])

# ---------------------------------------------------------------- page 4: tight columns, headlines after articles, lost digits
d1 = ["  月   日，松林镇获评全省“美丽乡村示范镇”，成为本年度全市唯一获此称号的乡镇。",
      "近年来，松林镇累计投入    万元实施村庄整治，改造农村道路    公里，新建污水管网    公里，实现了垃圾分类全覆盖。",
      "镇党委书记表示，将以此为新起点，继续做好乡村环境长效管理。"]
d1_subs = [("整治村容村貌", ["镇里组织党员干部带头清理房前屋后杂物，    个村全部完成河道疏浚，村民的居住环境明显改善。"]),
           ("发展特色产业", ["依托万亩竹林，松林镇培育了竹编、竹笋加工等特色产业，带动    余户村民增收，竹制品还销往海外多个国家。"])]
d2 = ["近日，临江区首批“社区规划师”正式上岗。    名来自高校和设计院的专业人员将与街道结对，为老旧小区更新提供专业意见。",
      "社区规划师将定期深入社区调研，参与公共空间改造方案的讨论，并为居民解读规划政策。区规划资源局表示，将为规划师开展工作提供必要保障。"]
d3 = ["在市总工会的指导下，北湖区总工会今年以来为新就业形态劳动者办实事，新建    个爱心驿站，为快递员、外卖骑手提供歇脚、饮水、充电等服务。",
      "区总工会还联合医疗机构开展免费体检，已有    余名新就业形态劳动者受益。下一步，区总工会将推动更多企业加入驿站共建。"]
d4 = ["记者从市气象局获悉，受冷空气影响，本周后期全市将迎来明显降温，最低气温将降至    摄氏度左右。",
      "气象部门提醒市民及时添衣保暖，并注意防范道路结冰。农业部门也提示农户做好大棚蔬菜的防冻工作，确保冬季蔬菜供应。"]
def tight_column(paras, width):
    out = []
    for p in paras:
        out += wrap(p, width, 4)
        out.append("")
    return out
p4 = tight_column(d1[:1], 24)
for sub, body in d1_subs:
    ls = wrap(body[0], 40, 4)
    p4 += [sub] + ls + [""]
p4 += tight_column(d1[2:], 40)
p4 += tight_column(d2, 36)
p4 += ["临江区：", "首批“社区规划师”正式上岗", "", "松林镇获评全省“美丽乡村示范镇”", ""]
p4 += tight_column(d3, 40)
p4 += tight_column(d4, 40)
p4 += ["北湖区总工会新建爱心驿站服务新就业群体", "", "本周后期全市将明显降温", ""]
write("2025/xiangcun-2025-01-06-p2.txt", p4)
add("xiangcun-2025-01-06-p2.txt", [
    {"title": "松林镇获评全省“美丽乡村示范镇”", "start": "松林镇获评全省“美丽乡村示范镇”，成为本年度", "end": "继续做好乡村环境长效管理",
     "subheads": ["整治村容村貌", "发展特色产业"]},
    {"title": "首批“社区规划师”正式上岗", "start": "近日，临江区首批“社区规划师”正式上岗", "end": "将为规划师开展工作提供必要保障"},
    {"title": "北湖区总工会新建爱心驿站服务新就业群体", "start": "在市总工会的指导下，北湖区总工会", "end": "将推动更多企业加入驿站共建"},
    {"title": "本周后期全市将明显降温", "start": "记者从市气象局获悉", "end": "确保冬季蔬菜供应"},
])

# ---------------------------------------------------------------- page 5: headlines before bodies, reading box, photo news (GB18030, CRLF)
e1 = ["近日，记者从市人力资源和社会保障局获悉，今年以来全市新增就业岗位十二万个，城镇登记失业率控制在合理区间。",
      "市人社局有关负责人介绍，今年全市举办各类招聘会三百余场，开发公益性岗位五千多个，并为困难毕业生提供一对一就业指导服务。",
      "在稳就业的同时，各区还加大职业技能培训力度。全年共开展补贴性职业技能培训八万人次，培训合格率超过九成。"]
e1_box = "今年以来全市新增就业岗位十二万个，城镇登记失业率控制在合理区间，职业技能培训合格率超过九成。"
e2 = ["本报讯（记者 冯立）日前，市总工会启动“职工暖心行动”，将在全市建设一百个职工休息室，并为一线职工发放防暑降温和冬季保暖用品。",
      "市总工会有关负责人表示，暖心行动还将为困难职工子女提供助学金，帮助他们顺利完成学业。"]
e3 = ["本报讯（记者 欧阳青 通讯员 马骏）“有了这张卡，看病报销方便多了！”近日，西山县的农民工老李领到了新版社会保障卡。",
      "据了解，新版社保卡具有就医结算、养老金领取、交通出行等多种功能，全县已累计发放新版社保卡二十余万张。"]
p5 = ["", "扩岗位、强培训、优服务——", "", "全市新增就业岗位十二万个", "", "本报记者 何静 本报通讯员 许方", ""]
cut = e1[1].index("并为困难毕业生")
p5 += [e1[0], "", e1[1][:cut], "", "阅读提示", "", e1_box, "", e1[1][cut:], "", e1[2], "", "", "",
       "田间课堂", "", "5月12日，东林镇的农技人员在麦田里为种粮大户讲解病虫害防治知识。", "", "本报通讯员 葛平 摄", "",
       "关爱一线职工 传递组织温暖", "", "市总工会启动“职工暖心行动”", "", e2[0], "", e2[1], "",
       "西山县发放新版社保卡", "", "二十余万农民工受益", "", e3[0], "", e3[1], ""]
write("2025/gongren-2025-05-14.txt", p5, encoding="gb18030", newline="\r\n")
add("gongren-2025-05-14.txt", [
    {"title": "全市新增就业岗位十二万个", "byline": "何静", "start": "近日，记者从市人力资源和社会保障局获悉", "end": "培训合格率超过九成",
     "joins": ["开发公益性岗位五千多个，并为困难毕业生提供一对一就业指导服务"],
     "para_starts": ["市人社局有关负责人介绍", "在稳就业的同时"]},
    {"title": "田间课堂", "start": "5月12日，东林镇的农技人员在麦田里", "end": "讲解病虫害防治知识"},
    {"title": "市总工会启动“职工暖心行动”", "byline": "冯立", "start": "日前，市总工会启动“职工暖心行动”", "end": "帮助他们顺利完成学业"},
    {"title": "西山县发放新版社保卡", "byline": "欧阳青", "start": "有了这张卡，看病报销方便多了", "end": "全县已累计发放新版社保卡二十余万张"},
], fragments=["阅读提示"])

# ---------------------------------------------------------------- page 6: UTF-16 with BOM, full-width ASCII, mixed punctuation
f1 = ["本报讯（记者 贺兰）第十届青年创新创业大赛日前落幕，参赛项目涵盖人工智能、新材料、生物医药等领域，共有１２０个团队进入决赛。",
      "获得一等奖的“ＡＩ护苗”项目利用图像识别技术监测农田病虫害，准确率达到９５％。团队负责人说,希望把技术推广到更多农村地区。",
      "大赛组委会表示,将为获奖项目提供创业场地、融资对接和导师辅导等一揽子服务。"]
f2 = ["本报讯（记者 贺兰）12月1日起，本市公交线路陆续启用新版电子站牌，乘客可以实时查看车辆到站时间和车厢拥挤程度。",
      "首批新版电子站牌将安装在中心城区的二百个站点，明年上半年实现全覆盖。"]
p6 = ["青年创新创业大赛落幕", "", f1[0], "", f1[1], "", f1[2], "", "",
      "公交新版电子站牌陆续启用", "", f2[0], "", f2[1], ""]
write("2025/youth-2025-12-02.txt", p6, encoding="utf-16")
add("youth-2025-12-02.txt", [
    {"title": "青年创新创业大赛落幕", "byline": "贺兰", "start": "第十届青年创新创业大赛日前落幕", "end": "导师辅导等一揽子服务"},
    {"title": "公交新版电子站牌陆续启用", "byline": "贺兰", "start": "12月1日起，本市公交线路陆续启用", "end": "明年上半年实现全覆盖"},
])

with open(os.path.join(OUT, "truth.json"), "w", encoding="utf-8") as f:
    json.dump(truth, f, ensure_ascii=False, indent=1)
print("wrote", sum(len(v["articles"]) for v in truth["issues"].values()), "reference articles")
