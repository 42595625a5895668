#!/usr/bin/env python3
"""Writes a long Chinese text with heavy dialogue, for measuring Folio's body text (issue 12).

    python3 scripts/make_novella.py SEED CHARS [--title T] > novella.md

The text is made from a fixed vocabulary by a seeded generator, so every run with the same
seed gives the same text; different seeds give different texts (Folio is not tuned to one).
It has what long novels have and proofreaders check: dialogue with “”‘’ and ：，！？ in every
combination (！” ？” ！！ ？！ ！） ？》 。” ……” ——), names with single Latin letters and digits
(阿Q, A股, 3号), years and numbers, Latin words, book titles 《》, brackets, ellipses and dashes,
and chapter headings with an ideographic space (第一章　…).
"""
import random
import sys

NOUNS = ("村子 学校 老师 孩子 草原 牧民 马头琴 毡房 河水 山路 集市 供销社 公社 县城 火车站 报纸 "
         "信 电话 拖拉机 羊群 骆驼 月亮 风 雪 大雨 灯 桌子 窗户 门口 院子 庄稼 麦田 果园 土墙 "
         "书包 课本 黑板 粉笔 钢笔 收音机 电影 戏台 庙会 银行 邮局 医院 大夫 队长 会计 书记 "
         "母亲 父亲 爷爷 奶奶 哥哥 姐姐 弟弟 妹妹 朋友 邻居 客人 掌柜 伙计 先生 太太").split()
VERBS = ("说 看 走 跑 想 问 回答 笑 哭 喊 等 找 拿 放 写 读 唱 听 记得 忘了 知道 觉得 明白 "
         "担心 喜欢 害怕 答应 商量 告诉 叫 请 送 带 借 还 修 种 收 卖 买 喝 吃 坐 站 躺").split()
ADJ = ("很好 不错 奇怪 可怜 热闹 安静 冷清 漂亮 干净 破旧 高大 矮小 辛苦 舒服 要紧 "
       "老实 聪明 糊涂 高兴 难过 着急 慌张 认真 仔细 清楚 明白 远 近 早 晚").split()
ADV = "已经 还是 忽然 终于 慢慢地 一直 又 也 就 才 都 竟然 果然 其实 大概 仿佛".split()
PEOPLE = ("阿Q 小D 王胡 赵太爷 吴妈 老栓 华大妈 孔乙己 闰土 祥林嫂 七斤 九斤老太 "
          "乌力吉 斯琴 格桑 卓玛 阿依古丽 买买提 金顺姬 朴老师 林晓岚 陈默").split()
PLACES = "未庄 鲁镇 咸亨酒店 土谷祠 城里 乡下 草原深处 县中学 3号院 A股市场 2号楼 B站".split()
LATIN = "Pango Cairo CEO Wi-Fi DNA KTV U盘 X光 PDF".split()
TITLES = "《呐喊》 《彷徨》 《人民日报》 《民族画报》 《草原》 《故乡》".split()
HEADS = "序 风雪 夜路 集市 归来 离别 春天 回声 灯火 尾声".split()


def clause(r):
    kind = r.random()
    if kind < 0.25:
        return r.choice(PEOPLE) + r.choice(ADV) + r.choice(VERBS) + "了" + r.choice(NOUNS)
    if kind < 0.45:
        return r.choice(NOUNS) + r.choice(ADV) + r.choice(ADJ)
    if kind < 0.55:
        return "在" + r.choice(PLACES) + r.choice(VERBS) + r.choice(NOUNS)
    if kind < 0.62:
        return "%d年%d月，%s" % (r.randint(1911, 2024), r.randint(1, 12), r.choice(PEOPLE) + r.choice(VERBS) + r.choice(NOUNS))
    if kind < 0.68:
        return r.choice(PEOPLE) + "读了" + r.choice(TITLES) + "里的" + r.choice(NOUNS)
    if kind < 0.73:
        return r.choice(PEOPLE) + "用" + r.choice(LATIN) + r.choice(VERBS) + r.choice(NOUNS)
    if kind < 0.78:
        return r.choice(NOUNS) + "（" + r.choice(NOUNS) + r.choice(ADJ) + "）" + r.choice(ADV) + r.choice(ADJ)
    if kind < 0.83:
        return "%s花了%d块%d毛钱" % (r.choice(PEOPLE), r.randint(2, 300), r.randint(1, 9))
    return r.choice(ADV) + r.choice(VERBS) + r.choice(["", "着", "过"]) + r.choice(NOUNS) + r.choice(ADJ)


def sentence(r, end=None):
    n = r.choice([1, 1, 2, 2, 3, 4])
    parts = [clause(r) for _ in range(n)]
    seps = [r.choice("，，，、；") if i < n - 1 else "" for i in range(n)]
    body = "".join(p + s for p, s in zip(parts, seps))
    if r.random() < 0.08:
        body += "——" + clause(r)
    return body + (end or r.choice("。。。。！？……"))


def speech(r):
    """A quoted utterance, with the marks dialogue piles up."""
    inner = "".join(sentence(r, r.choice(["。", "！", "？", "！！", "？！", "……", "！？"])) for _ in range(r.choice([1, 1, 2, 3])))
    if r.random() < 0.15:
        # A quotation inside the speech ends it: “……‘……！’”
        inner = inner.rstrip("。！？…") + "，‘" + r.choice(NOUNS) + r.choice(ADJ) + r.choice("！？。") + "’"
    if r.random() < 0.1:
        inner += "（" + r.choice(PEOPLE) + r.choice(VERBS) + "）"
    return "“" + inner + "”"


def paragraph(r):
    kind = r.random()
    who = r.choice(PEOPLE)
    if kind < 0.3:
        return who + r.choice(["说", "问", "喊", "低声说", "笑着说"]) + "：" + speech(r)
    if kind < 0.5:
        return speech(r) + who + r.choice(["说。", "问。", "想。", "叹了一口气。"])
    if kind < 0.6:
        return speech(r) + who + "说，" + speech(r)
    if kind < 0.65:
        return speech(r)
    return "".join(sentence(r) for _ in range(r.choice([2, 3, 4, 5, 6])))


def main():
    seed, chars = int(sys.argv[1]), int(sys.argv[2])
    title = sys.argv[sys.argv.index("--title") + 1] if "--title" in sys.argv else "长篇测试文本之%d" % seed
    r = random.Random(seed)
    out = ["---", "title: " + title, "deck: 一篇用来检验正文排版的长文本，对话很多。", "author: 测试", "---", ""]
    count, chapter = 0, 0
    numerals = "一二三四五六七八九十"
    while count < chars:
        if count >= chapter * 3000:
            out.append("## 第%s章\u3000%s" % (numerals[chapter % 10], HEADS[chapter % len(HEADS)]))
            out.append("")
            chapter += 1
        p = paragraph(r)
        out.append(p)
        out.append("")
        count += len(p)
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
