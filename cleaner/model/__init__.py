"""The learned line labeller: features of a line and its neighbours, and a two-stage logistic scorer.

Inference is pure Python: the weights are a JSON file shipped in the wheel
(`weights.json`), made offline by `bench/train.py`.
"""
